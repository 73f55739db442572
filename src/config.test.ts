import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration of proxies and sessions', () => {
  it('trusts no proxy unless told which', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,fd00::/8' }).TRUST_PROXY).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      'fd00::/8',
    ]);
  });

  it('refuses TRUST_PROXY=true and says what to set instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      'Configuration is not valid: TRUST_PROXY: "true" would believe X-Forwarded-For from anyone, so anyone could choose their own address. Set it to the addresses of your proxies or load balancers instead, e.g. TRUST_PROXY=10.0.0.1,10.1.0.0/16',
    );
  });

  it('names the entries that are not addresses or ranges', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'loadbalancer' })).toThrow(
      'TRUST_PROXY: "loadbalancer" is not an IP address or CIDR range: list your proxies\' addresses',
    );
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,proxy.example.org,10.0.0.0/33' })).toThrow(
      'TRUST_PROXY: "proxy.example.org", "10.0.0.0/33" are not IP addresses or CIDR ranges',
    );
  });

  it('ends sessions 12 hours after sign-in unless set', () => {
    expect(loadConfig({}).SESSION_MAX_HOURS).toBe(12);
    expect(loadConfig({ SESSION_MAX_HOURS: '8' }).SESSION_MAX_HOURS).toBe(8);
    expect(() => loadConfig({ SESSION_MAX_HOURS: '0' })).toThrow('SESSION_MAX_HOURS');
  });

  it('asks for a recent sign-in after 30 minutes unless set, and a sealing key of 32 characters', () => {
    expect(loadConfig({}).REAUTHENTICATE_AFTER_MINUTES).toBe(30);
    expect(loadConfig({ REAUTHENTICATE_AFTER_MINUTES: '15' }).REAUTHENTICATE_AFTER_MINUTES).toBe(15);
    expect(() => loadConfig({ REAUTHENTICATE_AFTER_MINUTES: '0' })).toThrow('REAUTHENTICATE_AFTER_MINUTES');
    expect(() => loadConfig({ MFA_KEY: 'short' })).toThrow('MFA_KEY');
    expect(loadConfig({ MFA_KEY: 'k'.repeat(32) }).MFA_KEY).toBe('k'.repeat(32));
  });
});
