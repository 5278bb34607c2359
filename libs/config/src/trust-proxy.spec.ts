import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { ServiceConfig } from './service-config';

const load = (TRUST_PROXY?: string) =>
  loadConfig(ServiceConfig, { REDIS_URL: 'redis://127.0.0.1:6379', ...(TRUST_PROXY ? { TRUST_PROXY } : {}) });

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default', () => {
    expect(load().TRUST_PROXY).toBe(false);
  });

  it('reads true, false, a hop count and a list of addresses, CIDRs and range names', () => {
    expect(load('true').TRUST_PROXY).toBe(true);
    expect(load('false').TRUST_PROXY).toBe(false);
    expect(load('1').TRUST_PROXY).toBe(1);
    expect(load('10.42.0.0/16, loopback,fd00::/8,192.0.2.7').TRUST_PROXY).toEqual([
      '10.42.0.0/16',
      'loopback',
      'fd00::/8',
      '192.0.2.7',
    ]);
  });

  it('refuses what is not an address, a CIDR or a range name', () => {
    for (const wrong of ['ingress', '10.0.0.0/33', '10.0.0.0/8/1', '-1', 'yes']) {
      expect(() => load(wrong)).toThrow(ConfigError);
    }
    expect(() => load('ingress')).toThrow(/TRUST_PROXY: must be true, false, a hop count/);
  });
});
