/**
 * UTM normalisation and channel grouping, after Google Analytics' default channel groups:
 * paid search, paid social, paid shopping, paid video, display, paid other, email,
 * affiliates, SMS, mobile push, organic social, organic video, organic search, referral,
 * direct, unassigned.
 */

export interface Campaign {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

const SOURCE_ALIASES: Readonly<Record<string, string>> = {
  fb: 'facebook',
  'facebook.com': 'facebook',
  'm.facebook.com': 'facebook',
  'l.facebook.com': 'facebook',
  'lm.facebook.com': 'facebook',
  ig: 'instagram',
  'instagram.com': 'instagram',
  'l.instagram.com': 'instagram',
  tw: 'twitter',
  'x.com': 'twitter',
  x: 'twitter',
  't.co': 'twitter',
  'twitter.com': 'twitter',
  li: 'linkedin',
  lnkd: 'linkedin',
  'lnkd.in': 'linkedin',
  'linkedin.com': 'linkedin',
  yt: 'youtube',
  'youtube.com': 'youtube',
  'm.youtube.com': 'youtube',
  goog: 'google',
  'google.com': 'google',
  adwords: 'google',
  'bing.com': 'bing',
  'duckduckgo.com': 'duckduckgo',
  'tiktok.com': 'tiktok',
  'pinterest.com': 'pinterest',
  'reddit.com': 'reddit',
};

const MEDIUM_ALIASES: Readonly<Record<string, string>> = {
  'e-mail': 'email',
  e_mail: 'email',
  mail: 'email',
  newsletter: 'email',
  ppc: 'cpc',
  paidsearch: 'cpc',
  'paid-search': 'cpc',
  paid_search: 'cpc',
  'social-media': 'social',
  social_media: 'social',
  'social-network': 'social',
  sm: 'social',
};

const SEARCH = new Set([
  'google',
  'bing',
  'yahoo',
  'duckduckgo',
  'baidu',
  'yandex',
  'ecosia',
  'ask',
  'naver',
  'seznam',
  'qwant',
  'startpage',
]);
const SOCIAL = new Set([
  'facebook',
  'instagram',
  'twitter',
  'linkedin',
  'pinterest',
  'reddit',
  'tiktok',
  'snapchat',
  'whatsapp',
  'threads',
  'mastodon',
  'quora',
  'vk',
]);
const VIDEO = new Set(['youtube', 'vimeo', 'twitch', 'dailymotion']);
const SHOPPING = new Set(['shopping', 'google shopping', 'amazon', 'ebay', 'etsy']);

/** Lower case, trimmed, inner whitespace collapsed; empty becomes undefined. */
export function cleanValue(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim().toLowerCase().replace(/\s+/g, ' ');
  return text === '' ? undefined : text;
}

export function normaliseSource(value: unknown): string | undefined {
  const source = cleanValue(value)?.replace(/^www\./, '');
  return source === undefined ? undefined : (SOURCE_ALIASES[source] ?? source);
}

export function normaliseMedium(value: unknown): string | undefined {
  const medium = cleanValue(value);
  return medium === undefined ? undefined : (MEDIUM_ALIASES[medium] ?? medium);
}

/** The site a referrer host belongs to, as a source name (google, facebook…), else the host. */
export function sourceOfHost(host: string): string {
  const bare = host.replace(/^(www|m|l|lm|mobile)\./, '');
  const alias = SOURCE_ALIASES[bare];
  if (alias) return alias;
  for (const name of [...SEARCH, ...SOCIAL, ...VIDEO]) {
    if (bare === `${name}.com` || bare.startsWith(`${name}.`)) return name;
  }
  return bare;
}

export interface ChannelInput {
  readonly campaign: Campaign;
  /** Host of an external referrer (not the site itself). */
  readonly referrerHost?: string;
  /** A paid click id (gclid, fbclid with utm, msclkid…) on the landing URL. */
  readonly paidClick?: 'search' | 'social';
}

export function classifyChannel({ campaign, referrerHost, paidClick }: ChannelInput): string {
  const medium = campaign.medium ?? '';
  const source = campaign.source ?? (referrerHost ? sourceOfHost(referrerHost) : '');
  const name = campaign.campaign ?? '';
  const isSearch = SEARCH.has(source);
  const isSocial = SOCIAL.has(source);
  const isVideo = VIDEO.has(source);
  const isShopping = SHOPPING.has(source) || /shop/.test(name);

  if (!campaign.source && !campaign.medium && !referrerHost && !paidClick) return 'direct';
  if (['display', 'banner', 'expandable', 'interstitial', 'cpm'].includes(medium)) return 'display';
  const paid = /^(.*cp.*|ppc|retargeting|paid.*)$/.test(medium) || paidClick !== undefined;
  if (paid) {
    if (isShopping) return 'paid_shopping';
    if (isSearch || paidClick === 'search') return 'paid_search';
    if (isSocial || paidClick === 'social') return 'paid_social';
    if (isVideo) return 'paid_video';
    return 'paid_other';
  }
  if (medium === 'email' || source === 'email') return 'email';
  if (medium === 'affiliate' || medium === 'affiliates') return 'affiliates';
  if (medium === 'sms' || source === 'sms') return 'sms';
  if (medium.endsWith('push') || medium === 'mobile' || medium === 'notification') return 'mobile_push';
  if (isSocial || ['social', 'social network'].includes(medium)) return 'organic_social';
  if (isVideo || medium === 'video') return 'organic_video';
  if (isSearch || medium === 'organic') return 'organic_search';
  if (medium === 'referral' || referrerHost) return 'referral';
  return 'unassigned';
}
