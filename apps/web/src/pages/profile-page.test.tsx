import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { errorsOfRefusal, parseDefinition } from '../lib/profile-form';
import { createTestServices, jsonResponse, renderWithServices } from '../test/test-services';
import { ProfilePage } from './profile-page';

const version = {
  key: 'meeting',
  version: 1,
  status: 'active',
  is_default: true,
  created_at: '2026-01-01T00:00:00Z',
  prompts: { system: 'Be brief' },
  parameters: { max_tasks: 10 },
  output_schema: { type: 'object' },
  template: '# {{title}}',
};
const profile = {
  id: 'p1',
  key: 'meeting',
  name: 'Meeting',
  description: 'Decisions and tasks',
  default_version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  versions: [{ version: 1, status: 'active', created_at: '2026-01-01T00:00:00Z' }],
  default: version,
};

async function renderProfile(role: 'admin' | 'user') {
  const { services, requests } = await createTestServices(({ method, url }) => {
    if (url === '/api/v1/profiles/meeting') return jsonResponse(200, profile);
    if (url === '/api/v1/profiles/meeting/versions/1') return jsonResponse(200, version);
    if (method === 'POST' && url === '/api/v1/profiles/meeting/versions')
      return jsonResponse(400, {
        error: {
          code: 'VALIDATION_FAILED',
          message:
            'output_schema is not a valid JSON Schema: data/type must be equal to one of the allowed values',
          retryable: false,
        },
      });
    return undefined;
  }, role);
  renderWithServices(services, <ProfilePage />, { path: '/profiles/:key', route: '/profiles/meeting' });
  return requests;
}

describe('Profile page', () => {
  it('shows the version in full to everyone, and no admin controls to a user', async () => {
    await renderProfile('user');
    expect(await screen.findByText('# {{title}}')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'New version' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Deprecate v1' })).toBeNull();
  });

  it("shows a JSON mistake at its field without asking the API, and the API's schema refusal at the schema field", async () => {
    const user = userEvent.setup();
    const requests = await renderProfile('admin');
    const schema = await screen.findByLabelText('Output schema (JSON Schema)');

    await user.clear(schema);
    await user.type(schema, '{{"type": 1');
    await user.click(screen.getByRole('button', { name: 'Publish version' }));
    expect(schema.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('definition-output_schema-error')?.textContent).toMatch(/^Not valid JSON/);
    expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/versions'))).toBe(false);

    await user.clear(schema);
    await user.type(schema, '{{"type": "thing"}');
    await user.click(screen.getByRole('button', { name: 'Publish version' }));
    expect(await screen.findByText(/output_schema is not a valid JSON Schema/)).toBeTruthy();
    expect(document.getElementById('definition-output_schema-error')?.textContent).toContain(
      'data/type must be equal to one of the allowed values',
    );
    const sent = requests.find((r) => r.method === 'POST' && r.url.endsWith('/versions'));
    expect(sent?.body).toEqual({
      prompts: { system: 'Be brief' },
      parameters: { max_tasks: 10 },
      output_schema: { type: 'thing' },
      template: '# {{title}}',
      status: 'draft',
    });
  });
});

describe('profile form', () => {
  it('maps refusals to the field they name', () => {
    expect(errorsOfRefusal('template does not parse: Unclosed tag')).toEqual({
      template: 'template does not parse: Unclosed tag',
    });
    expect(errorsOfRefusal('profile meeting not found')).toEqual({ form: 'profile meeting not found' });
  });

  it('refuses arrays and empty templates', () => {
    const parsed = parseDefinition({ prompts: '[]', parameters: '{}', output_schema: '{}', template: ' ' });
    expect(parsed.errors).toEqual({
      prompts: 'Must be a JSON object ({ … }).',
      template: 'The template must not be empty.',
    });
  });
});
