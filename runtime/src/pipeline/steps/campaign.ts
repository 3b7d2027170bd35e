import { type Campaign, classifyChannel, cleanValue, normaliseMedium, normaliseSource } from '../enrich/campaign.ts';
import { memo } from '../enrich/memo.ts';
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

/** What a page URL says, parsed once per distinct URL: a site's events repeat few of them. */
interface PageUrl {
  readonly href: string;
  readonly pathname: string;
  readonly hostname: string;
  /** utm_source, utm_medium, utm_campaign, utm_term, utm_content as the URL gives them. */
  readonly utm: Readonly<Record<'source' | 'medium' | 'campaign' | 'term' | 'content', string | null>>;
  readonly paidClick?: 'search' | 'social';
}

/**
 * UTM parameters (from the call's campaign context, else the page URL), the referrer's
 * host when it is another site, the page, and the channel they add up to.
 */
export function createCampaignStep(): Step {
  const pageOf = memo(parsePage);
  const hostOf = memo((referrer: string) => parseUrl(referrer)?.hostname);
  return {
    name: 'campaign',
    async run(events) {
      return events.map((item) => {
        enrich(item, pageOf, hostOf);
        return OK;
      });
    },
  };
}

function enrich(
  item: PipelineEvent,
  pageOf: (url: string) => PageUrl | undefined,
  hostOf: (referrer: string) => string | undefined,
): void {
  const context = (item.event.context ?? {}) as {
    campaign?: Record<string, unknown>;
    page?: { url?: unknown; referrer?: unknown; path?: unknown };
  };
  const properties = ((item.event as { properties?: unknown }).properties ?? {}) as {
    url?: unknown;
    referrer?: unknown;
  };
  const pageUrl = ifText(context.page?.url ?? (item.event.type === 'page' ? properties.url : undefined), pageOf);
  const fromUrl = pageUrl?.utm;
  const given = context.campaign ?? {};
  const campaign: Campaign = {};
  const source = normaliseSource(given.source ?? fromUrl?.source);
  const medium = normaliseMedium(given.medium ?? fromUrl?.medium);
  const name = cleanValue(given.name ?? given.campaign ?? fromUrl?.campaign);
  const term = cleanValue(given.term ?? fromUrl?.term);
  const content = cleanValue(given.content ?? fromUrl?.content);
  if (source) campaign.source = source;
  if (medium) campaign.medium = medium;
  if (name) campaign.campaign = name;
  if (term) campaign.term = term;
  if (content) campaign.content = content;

  const referrer = ifText(
    context.page?.referrer ?? (item.event.type === 'page' ? properties.referrer : undefined),
    hostOf,
  );
  const referrerHost = referrer && referrer !== pageUrl?.hostname ? referrer.toLowerCase() : undefined;
  const paidClick = pageUrl?.paidClick;

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

function parsePage(value: string): PageUrl | undefined {
  const url = parseUrl(value);
  if (!url) return undefined;
  const params = url.searchParams;
  let paidClick: PageUrl['paidClick'];
  for (const [id, kind] of Object.entries(PAID_CLICK_IDS)) {
    if (params.has(id)) paidClick = kind;
  }
  return {
    href: url.href,
    pathname: url.pathname,
    hostname: url.hostname,
    utm: {
      source: params.get('utm_source'),
      medium: params.get('utm_medium'),
      campaign: params.get('utm_campaign'),
      term: params.get('utm_term'),
      content: params.get('utm_content'),
    },
    ...(paidClick ? { paidClick } : {}),
  };
}

function ifText<T>(value: unknown, parse: (text: string) => T): T | undefined {
  return typeof value === 'string' && value !== '' ? parse(value) : undefined;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
