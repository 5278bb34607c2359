import { isPublicAddress, parseWebhookUrl, validateWebhookUrl } from './webhook-url';

describe('webhook URLs', () => {
  it('accepts http and https URLs', () => {
    expect(parseWebhookUrl('https://hooks.example.com/scriptripper?x=1').toString()).toBe(
      'https://hooks.example.com/scriptripper?x=1',
    );
    expect(parseWebhookUrl('http://hooks.example.com:8080/').port).toBe('8080');
  });

  it.each([
    ['ftp://hooks.example.com/', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['/relative/path', /absolute/],
    ['https://user:pass@hooks.example.com/', /credentials/],
    ['https://token@hooks.example.com/', /credentials/],
    ['', /at most/],
    [`https://hooks.example.com/${'a'.repeat(2_100)}`, /at most/],
  ])('refuses %s', (url, message) => {
    expect(() => parseWebhookUrl(url)).toThrow(message);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    // Every IPv6 form of a non-public IPv4 address, and the reserved IPv6 ranges.
    '::7f00:1', // IPv4-compatible 127.0.0.1
    '::127.0.0.1', // the same, dotted
    '::a9fe:a9fe', // IPv4-compatible 169.254.169.254 (cloud metadata)
    '::ffff:7f00:1', // IPv4-mapped 127.0.0.1 in hex
    '::ffff:a9fe:a9fe', // IPv4-mapped metadata address in hex
    '0:0:0:0:0:ffff:a00:1', // IPv4-mapped 10.0.0.1, written out
    '::ffff:0:7f00:1', // IPv4-translated (SIIT)
    '2002:7f00:1::', // 6to4 of loopback
    '2002:a9fe:a9fe::1', // 6to4 of the metadata address
    '2002:c0a8:101::1', // 6to4 of 192.168.1.1
    '64:ff9b::7f00:1', // NAT64 well-known prefix
    '64:ff9b::8.8.8.8', // NAT64 of a public address: still the translator's network
    '64:ff9b:1::1', // local-use NAT64
    'fec0::1', // site-local
    'fc00::1', // unique local
    'febf::1', // link-local, top of the range
    'ff02::1', // multicast
    '100::1', // discard-only
    '2001::1', // Teredo
    '2001:2::1', // benchmarking
    '2001:db8::1', // documentation
    '3fff::1', // documentation
    '::ffff:192.0.2.1', // IPv4 documentation, mapped
    '198.51.100.7', // IPv4 documentation
    '203.0.113.9', // IPv4 documentation
    'not-an-address',
    '1::2::3',
  ])('counts %s as not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '2002:808:808::1', // 6to4 of a public address
  ])('counts %s as public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses a private or loopback address host unless private networks are allowed', async () => {
    await expect(validateWebhookUrl('http://127.0.0.1:9000/hook', false)).rejects.toThrow(/loopback/);
    await expect(validateWebhookUrl('http://[::1]:9000/hook', false)).rejects.toThrow(/private/);
    await expect(validateWebhookUrl('http://169.254.169.254/latest', false)).rejects.toThrow(/reserved/);
    await expect(validateWebhookUrl('http://127.0.0.1:9000/hook', true)).resolves.toBe(
      'http://127.0.0.1:9000/hook',
    );
    await expect(validateWebhookUrl('https://8.8.8.8/hook', false)).resolves.toBe('https://8.8.8.8/hook');
  });
});
