/**
 * The baseline the event store is compared with: single-row INSERTs of a similar row
 * (jsonb payload), one per transaction, with the server's normal durability
 * (fsync and synchronous_commit as configured), on 1 and on N connections.
 */
import { Pool } from 'pg';
import { measureThroughput, type Throughput } from './measure';
import { PAYLOAD } from './raw-redis.bench';

export async function rawInsertThroughput(
  databaseUrl: string,
  writers: number,
  total: number,
): Promise<Throughput> {
  const pool = new Pool({ connectionString: databaseUrl, max: writers });
  const table = `raw_insert_${Math.random().toString(36).slice(2, 8)}`;
  await pool.query(
    `CREATE TABLE ${table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL,
       data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
  );
  try {
    const perWriter = Math.ceil(total / writers);
    return await measureThroughput(
      `raw INSERT, one row per transaction, ${writers} connection(s)`,
      perWriter * writers,
      async () => {
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            const client = await pool.connect();
            try {
              for (let i = 0; i < perWriter; i++) {
                await client.query(`INSERT INTO ${table} (stream_id, data) VALUES ($1, $2)`, [
                  `stream-${writer}`,
                  JSON.stringify({ ...PAYLOAD, n: i }),
                ]);
              }
            } finally {
              client.release();
            }
          }),
        );
      },
    );
  } finally {
    await pool.query(`DROP TABLE ${table}`);
    await pool.end();
  }
}
