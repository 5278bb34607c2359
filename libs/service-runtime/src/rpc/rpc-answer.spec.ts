import { Logger } from '@nestjs/common';
import { describeFailure, rpcAnswerer } from './rpc-answer';

/** As MikroORM raises a Postgres error: the statement with its values in the message, SQLSTATE in code. */
function databaseError(): Error {
  const error = new Error(
    `insert into "jobs"."custom_prompts" ("prompt") values ('what did Ana say about her diagnosis?') - invalid message format`,
  );
  error.name = 'DriverException';
  Object.assign(error, { code: '08P01' });
  return error;
}

describe('the RPC answerer', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs a database failure by class and SQLSTATE, never the statement with its values', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const answer = rpcAnswerer('jobs');

    await expect(
      answer(async () => {
        throw databaseError();
      }),
    ).rejects.toMatchObject({ error: { code: 'INTERNAL', retryable: true } });

    const lines = logged.mock.calls.map((call) => String(call[0]));
    expect(lines).toEqual([expect.stringContaining('SQLSTATE 08P01')]);
    expect(lines.join('\n')).not.toMatch(/diagnosis|insert into/);
  });

  it('logs any other failure by its message', () => {
    expect(describeFailure(new TypeError('x is undefined'))).toBe('x is undefined');
    expect(describeFailure('plain')).toBe('plain');
    expect(
      describeFailure(Object.assign(databaseError(), { table: 'custom_prompts', constraint: 'pk' })),
    ).toMatch(/SQLSTATE 08P01 on custom_prompts, pk;/);
    expect(describeFailure(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe('write EPIPE');
  });
});
