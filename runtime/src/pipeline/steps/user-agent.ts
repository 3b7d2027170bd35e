import { parseUserAgent } from '../enrich/user-agent.ts';
import { OK, type Step } from '../pipeline-event.ts';

/** Browser, OS and device type from the call's user agent (context.user_agent). */
export function createUserAgentStep(): Step {
  // One parse per distinct header: a batch repeats few of them.
  const cache = new Map<string, ReturnType<typeof parseUserAgent>>();
  return {
    name: 'user-agent',
    async run(events) {
      return events.map((item) => {
        const header = (item.event.context as { user_agent?: unknown } | undefined)?.user_agent;
        if (typeof header === 'string' && header !== '') {
          let agent = cache.get(header);
          if (!agent) {
            agent = parseUserAgent(header);
            if (cache.size > 10_000) cache.clear();
            cache.set(header, agent);
          }
          const derived = item.derived;
          if (agent.browser) derived.ua_browser = agent.browser;
          if (agent.browserVersion) derived.ua_browser_version = agent.browserVersion;
          if (agent.os) derived.ua_os = agent.os;
          if (agent.osVersion) derived.ua_os_version = agent.osVersion;
          if (agent.deviceType) derived.ua_device_type = agent.deviceType;
        }
        return OK;
      });
    },
  };
}
