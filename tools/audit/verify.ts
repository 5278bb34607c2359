// `npm run audit:verify`: asks every running data service to verify its event hash chains and
// prints the first broken link per service. Exit 1 when any chain is broken or a service did
// not answer. Needs REDIS_URL (and REDIS_KEY_PREFIX when the deployment uses another than `sr:`).
import { RedisStreamsClient } from '@scriptripper/streams';
import { allVerified, describeReport, verifyHashChainsOf } from './verify-hash-chains';

async function main(): Promise<void> {
  const redisUrl = process.env['REDIS_URL'];
  if (!redisUrl) {
    console.error('audit:verify needs REDIS_URL');
    process.exitCode = 1;
    return;
  }
  const client = new RedisStreamsClient({
    redisUrl,
    keyPrefix: process.env['REDIS_KEY_PREFIX'] || 'sr:',
    clientName: 'audit-verify',
  });
  try {
    const reports = await verifyHashChainsOf(client);
    for (const report of reports) console.log(describeReport(report));
    process.exitCode = allVerified(reports) ? 0 : 1;
  } finally {
    await client.close();
  }
}

void main();
