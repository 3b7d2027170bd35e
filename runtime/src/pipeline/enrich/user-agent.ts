import { UAParser } from 'ua-parser-js';

export interface UserAgent {
  browser?: string;
  browserVersion?: string;
  os?: string;
  osVersion?: string;
  /** mobile, tablet, desktop, console, smarttv, wearable, embedded, bot */
  deviceType?: string;
}

const BOT = /bot|crawl|spider|slurp|headless|lighthouse|pingdom|monitor/i;

/** Browser, OS and device from a User-Agent header (ua-parser-js 1.x, MIT). */
export function parseUserAgent(header: string): UserAgent {
  const result = new UAParser(header).getResult();
  const deviceType = BOT.test(header) ? 'bot' : (result.device.type ?? (result.os.name ? 'desktop' : undefined));
  return {
    ...(result.browser.name ? { browser: result.browser.name } : {}),
    ...(result.browser.version ? { browserVersion: result.browser.version } : {}),
    ...(result.os.name ? { os: result.os.name } : {}),
    ...(result.os.version ? { osVersion: result.os.version } : {}),
    ...(deviceType ? { deviceType } : {}),
  };
}
