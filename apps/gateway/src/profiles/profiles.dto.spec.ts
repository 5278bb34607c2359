import { ErrorCodes } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';
import { createApiValidationPipe } from '../http/api-validation.pipe';
import { CreateProfileDto } from './profiles.dto';

describe('CreateProfileDto', () => {
  const validate = (body: unknown) =>
    createApiValidationPipe().transform(body, { type: 'body', metatype: CreateProfileDto });

  it.each([
    ['missing', { key: 'sales-call', name: 'Sales call' }],
    ['null', { key: 'sales-call', name: 'Sales call', version: null }],
    ['a string', { key: 'sales-call', name: 'Sales call', version: 'v1' }],
  ])('refuses a profile whose first version is %s with 400 (was a 500 in the route)', async (_case, body) => {
    const refusal = await validate(body).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).status).toBe(400);
    expect((refusal as ApiError).body).toMatchObject({
      code: ErrorCodes.validationFailed,
      message: expect.stringContaining('version must be an object'),
    });
  });
});
