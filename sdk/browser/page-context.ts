import type { Properties } from '../core/index.ts';

const UTM = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/** What an event made now on this page carries: the page, its UTM campaign, locale, user agent, screen. */
export function pageContext(): Properties {
  const url = new URL(location.href);
  const campaign: Properties = {};
  for (const key of UTM) {
    const value = url.searchParams.get(`utm_${key}`);
    if (value) campaign[key === 'campaign' ? 'name' : key] = value;
  }
  return {
    page: {
      url: location.href,
      path: location.pathname,
      search: location.search,
      referrer: document.referrer,
      title: document.title,
    },
    ...(Object.keys(campaign).length > 0 ? { campaign } : {}),
    locale: navigator.language,
    user_agent: navigator.userAgent,
    screen: { width: screen.width, height: screen.height },
  };
}
