import { type Campaign, classifyChannel, cleanValue, normaliseMedium, normaliseSource } from '../enrich/campaign.ts';
import { OK, type PipelineEvent, type Step } from '../pipeline-event.ts';

const PAID_CLICK_IDS: Readonly<Record<string, 'search' | 'social'>> = {
  gclid: 'search',
  gbraid: 'search',
  wbraid: 'search',
  msclkid: 'search',
  dclid: 'search',
  fbclid: 'social',
  ttclid: 'social',
  li_fat_id: 'social',
};

/**
 * UTM parameters (from the call's campaign context, else the page URL), the referrer's
 * host when it is another site, the page, and the channel they add up to.
 */
export function createCampaignStep(): Step {
  return {
    name: 'campaign',
    async run(events) {
      return events.map((item) => {
        enrich(item);
        return OK;
      });
    },
  };
}

function enrich(item: PipelineEvent): void {
  const context = (item.event.context ?? {}) as {
    campaign?: Record<string, unknown>;
    page?: { url?: unknown; referrer?: unknown; path?: unknown };
  };
  const properties = ((item.event as { properties?: unknown }).properties ?? {}) as {
    url?: unknown;
    referrer?: unknown;
  };
  const pageUrl = parseUrl(context.page?.url ?? (item.event.type === 'page' ? properties.url : undefined));
  const params = pageUrl?.searchParams;
  const given = context.campaign ?? {};
  const campaign: Campaign = {};
  const source = normaliseSource(given.source ?? params?.get('utm_source'));
  const medium = normaliseMedium(given.medium ?? params?.get('utm_medium'));
  const name = cleanValue(given.name ?? given.campaign ?? params?.get('utm_campaign'));
  const term = cleanValue(given.term ?? params?.get('utm_term'));
  const content = cleanValue(given.content ?? params?.get('utm_content'));
  if (source) campaign.source = source;
  if (medium) campaign.medium = medium;
  if (name) campaign.campaign = name;
  if (term) campaign.term = term;
  if (content) campaign.content = content;

  const referrer = parseUrl(context.page?.referrer ?? (item.event.type === 'page' ? properties.referrer : undefined));
  const referrerHost =
    referrer && referrer.hostname !== pageUrl?.hostname ? referrer.hostname.toLowerCase() : undefined;
  let paidClick: 'search' | 'social' | undefined;
  for (const [id, kind] of Object.entries(PAID_CLICK_IDS)) {
    if (params?.has(id)) paidClick = kind;
  }

  const derived = item.derived;
  if (campaign.source) derived.utm_source = campaign.source;
  if (campaign.medium) derived.utm_medium = campaign.medium;
  if (campaign.campaign) derived.utm_campaign = campaign.campaign;
  if (campaign.term) derived.utm_term = campaign.term;
  if (campaign.content) derived.utm_content = campaign.content;
  if (referrerHost) derived.referrer_host = referrerHost;
  if (pageUrl) {
    derived.page_url = pageUrl.href;
    derived.page_path = pageUrl.pathname;
  } else if (typeof context.page?.path === 'string') {
    derived.page_path = context.page.path;
  }
  derived.channel = classifyChannel({
    campaign,
    ...(referrerHost ? { referrerHost } : {}),
    ...(paidClick ? { paidClick } : {}),
  });
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
