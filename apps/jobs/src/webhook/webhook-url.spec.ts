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
  ])('counts %s as not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'counts %s as public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

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
