import { memo } from '../enrich/memo.ts';
import { parseUserAgent } from '../enrich/user-agent.ts';
import { OK, type Step } from '../pipeline-event.ts';

/** Browser, OS and device type from the call's user agent (context.user_agent). */
export function createUserAgentStep(): Step {
  // One parse per distinct header: events repeat few of them.
  const agentOf = memo(parseUserAgent);
  return {
    name: 'user-agent',
    async run(events) {
      return events.map((item) => {
        const header = (item.event.context as { user_agent?: unknown } | undefined)?.user_agent;
        if (typeof header === 'string' && header !== '') {
          const agent = agentOf(header);
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
