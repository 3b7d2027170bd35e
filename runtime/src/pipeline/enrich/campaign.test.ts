import { describe, expect, it } from 'vitest';
import { classifyChannel, normaliseMedium, normaliseSource } from './campaign.ts';
import { truncateIp } from './geo.ts';

describe('UTM normalisation', () => {
  it.each([
    ['  FB ', 'facebook'],
    ['m.facebook.com', 'facebook'],
    ['www.Google.com', 'google'],
    ['IG', 'instagram'],
    ['Newsletter  Weekly', 'newsletter weekly'],
    ['', undefined],
  ])('source %j → %j', (raw, expected) => {
    expect(normaliseSource(raw)).toBe(expected);
  });

  it.each([
    ['CPC', 'cpc'],
    ['PPC', 'cpc'],
    ['e-mail', 'email'],
    ['Social-Media', 'social'],
  ])('medium %j → %j', (raw, expected) => {
    expect(normaliseMedium(raw)).toBe(expected);
  });
});

describe('channel grouping (GA4 default channel groups)', () => {
  it.each([
    [{ campaign: {} }, 'direct'],
    [{ campaign: { source: 'google', medium: 'cpc' } }, 'paid_search'],
    [{ campaign: { source: 'facebook', medium: 'paid_social' } }, 'paid_social'],
    [{ campaign: { source: 'youtube', medium: 'cpv' } }, 'paid_video'],
    [{ campaign: { source: 'google', medium: 'cpc', campaign: 'shopping feed' } }, 'paid_shopping'],
    [{ campaign: { source: 'criteo', medium: 'display' } }, 'display'],
    [{ campaign: { source: 'newsletter', medium: 'email' } }, 'email'],
    [{ campaign: { source: 'partner', medium: 'affiliate' } }, 'affiliates'],
    [{ campaign: { medium: 'sms' } }, 'sms'],
    [{ campaign: {}, referrerHost: 'www.google.com' }, 'organic_search'],
    [{ campaign: {}, referrerHost: 'l.facebook.com' }, 'organic_social'],
    [{ campaign: {}, referrerHost: 'm.youtube.com' }, 'organic_video'],
    [{ campaign: {}, referrerHost: 'blog.example.org' }, 'referral'],
    [{ campaign: {}, paidClick: 'search' as const }, 'paid_search'],
    [{ campaign: { source: 'spring-promo' } }, 'unassigned'],
  ])('%j → %s', (input, expected) => {
    expect(classifyChannel(input)).toBe(expected);
  });
});

describe('IP truncation', () => {
  it.each([
    ['81.2.69.142', '81.2.69.0'],
    ['2a00:1450:4001:80b::200e', '2a00:1450:4001::'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1::'],
    ['not an ip', 'not an ip'],
  ])('%s → %s', (ip, expected) => {
    expect(truncateIp(ip)).toBe(expected);
  });
});
