import { createApiValidationPipe } from '../http/api-validation.pipe';
import { RelabelSpeakersDto } from './job-control.dto';

describe('RelabelSpeakersDto', () => {
  const validate = (body: unknown) =>
    createApiValidationPipe().transform(body, {
      type: 'body',
      metatype: RelabelSpeakersDto,
    }) as Promise<RelabelSpeakersDto>;

  it('passes every label on as sent, those named like Object members included', async () => {
    const rename = { constructor: 'Ana', toString: 'Bob', hasOwnProperty: 'Carla', 'Speaker 0': 'Dan' };

    const dto = await validate({ rename });

    expect({ ...dto.rename }).toEqual(rename);
  });

  it('still refuses a rename that is not an object', async () => {
    await expect(validate({ rename: 'Ana=Bob' })).rejects.toMatchObject({ status: 400 });
    await expect(validate({ rename: null })).rejects.toMatchObject({ status: 400 });
  });
});
