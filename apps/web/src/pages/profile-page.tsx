import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import type { ProfileVersionView, ProfileView } from '../api/types';
import { useApi, useSignedInUser } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { StatusBadge } from '../components/status-badge';
import { ActionError, ErrorState, Loading } from '../components/states';
import { TimeText } from '../components/time-text';
import {
  DEFINITION_FIELDS,
  errorsOfRefusal,
  parseDefinition,
  textsOf,
  type DefinitionErrors,
  type DefinitionTexts,
} from '../lib/profile-form';

const FIELD_LABELS = {
  prompts: 'Prompts (JSON)',
  parameters: 'Parameters (JSON)',
  output_schema: 'Output schema (JSON Schema)',
  template: 'Template (Markdown with Mustache tags)',
} as const;

export function ProfilePage() {
  const { key = '' } = useParams();
  const api = useApi();
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const profile = useQuery({ queryKey: ['profile', key], queryFn: () => api.getProfile(key) });
  const selected = Number(params.get('version')) || profile.data?.default_version || 0;
  const version = useQuery({
    queryKey: ['profile-version', key, selected],
    queryFn: () => api.getProfileVersion(key, selected),
    enabled: selected > 0,
  });

  if (profile.isPending) return <Loading label="Loading the profile" />;
  if (profile.isError)
    return (
      <section>
        <PageTitle title="Profile" />
        <ErrorState error={profile.error} retry={() => void profile.refetch()} />
        <p>
          <Link to="/profiles">All profiles</Link>
        </p>
      </section>
    );

  const admin = user?.role === 'admin';
  return (
    <article>
      <PageTitle title={profile.data.name} />
      <p>{profile.data.description}</p>
      <p className="muted small">
        Key <span className="mono">{profile.data.key}</span> · default version v{profile.data.default_version}
      </p>
      <VersionsTable
        profile={profile.data}
        admin={admin}
        selected={selected}
        onSelect={(v) => setParams({ version: String(v) }, { replace: true })}
      />
      <section className="panel results-section" aria-labelledby="version-heading">
        <h2 id="version-heading">Version v{selected}</h2>
        {version.isPending ? <Loading label="Loading the version" /> : null}
        {version.isError ? <ErrorState error={version.error} retry={() => void version.refetch()} /> : null}
        {version.data ? <VersionDefinition version={version.data} /> : null}
      </section>
      {admin && version.data ? <NewVersionForm profileKey={key} base={version.data} /> : null}
    </article>
  );
}

function VersionsTable({
  profile,
  admin,
  selected,
  onSelect,
}: {
  profile: ProfileView;
  admin: boolean;
  selected: number;
  onSelect: (version: number) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const after = (view: ProfileView) => {
    queryClient.setQueryData(['profile', profile.key], view);
    void queryClient.invalidateQueries({ queryKey: ['profiles'] });
    void queryClient.invalidateQueries({ queryKey: ['profile-version', profile.key] });
  };
  const setDefault = useMutation({
    mutationFn: (v: number) => api.setDefaultVersion(profile.key, v),
    onSuccess: after,
  });
  const deprecate = useMutation({
    mutationFn: (v: number) => api.deprecateVersion(profile.key, v),
    onSuccess: after,
  });
  const versions = [...profile.versions].sort((a, b) => b.version - a.version);
  return (
    <section className="results-section" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      <ActionError error={setDefault.error ?? deprecate.error} />
      <div className="table-wrap">
        <table className="table-responsive">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const isDefault = v.version === profile.default_version;
              return (
                <tr key={v.version} aria-current={v.version === selected ? 'true' : undefined}>
                  <td data-label="Version">
                    v{v.version}
                    {isDefault ? <strong> (default)</strong> : null}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={v.status} />
                  </td>
                  <td data-label="Created">
                    <TimeText iso={v.created_at} />
                  </td>
                  <td data-label="Actions">
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button secondary small"
                        onClick={() => onSelect(v.version)}
                        aria-pressed={v.version === selected}
                      >
                        Show v{v.version}
                      </button>
                      {admin && !isDefault && v.status !== 'deprecated' ? (
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => setDefault.mutate(v.version)}
                          disabled={setDefault.isPending}
                        >
                          Make v{v.version} the default
                        </button>
                      ) : null}
                      {admin && v.status !== 'deprecated' ? (
                        <button
                          type="button"
                          className="button danger small"
                          onClick={() => deprecate.mutate(v.version)}
                          disabled={deprecate.isPending}
                        >
                          Deprecate v{v.version}
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function VersionDefinition({ version }: { version: ProfileVersionView }) {
  return (
    <div className="stack">
      <p>
        <StatusBadge status={version.status} /> {version.is_default ? 'Default version. ' : ''}Created{' '}
        <TimeText iso={version.created_at} />
      </p>
      {DEFINITION_FIELDS.map((field) => (
        <details key={field} open={field === 'template'}>
          <summary>{FIELD_LABELS[field]}</summary>
          {/* Focusable: a long definition scrolls inside, and the keyboard must reach it. */}
          <pre tabIndex={0} aria-label={`${FIELD_LABELS[field]} of v${version.version}`}>
            {field === 'template' ? version.template : JSON.stringify(version[field], null, 2)}
          </pre>
        </details>
      ))}
    </div>
  );
}

function NewVersionForm({ profileKey, base }: { profileKey: string; base: ProfileVersionView }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [texts, setTexts] = useState<DefinitionTexts>(() => textsOf(base));
  const [status, setStatus] = useState<'active' | 'draft'>('draft');
  const [errors, setErrors] = useState<DefinitionErrors>({});
  const [published, setPublished] = useState<number | null>(null);
  const publish = useMutation({
    mutationFn: (definition: Parameters<typeof api.publishVersion>[1]) =>
      api.publishVersion(profileKey, definition),
    onSuccess: (view) => {
      setPublished(view.version);
      void queryClient.invalidateQueries({ queryKey: ['profile', profileKey] });
      void queryClient.invalidateQueries({ queryKey: ['profiles'] });
    },
    onError: (error) => {
      setErrors(error instanceof ApiError ? errorsOfRefusal(error.message) : { form: String(error) });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPublished(null);
    const parsed = parseDefinition(texts);
    if (parsed.errors) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    publish.mutate({ ...parsed.definition, status });
  };

  return (
    <section className="panel results-section" aria-labelledby="new-version-heading">
      <h2 id="new-version-heading">New version</h2>
      <p className="hint">Starts from v{base.version}. A version is never changed once published.</p>
      <form className="form" onSubmit={submit} noValidate>
        {DEFINITION_FIELDS.map((field) => (
          <div className="field" key={field}>
            <label htmlFor={`definition-${field}`}>{FIELD_LABELS[field]}</label>
            <textarea
              id={`definition-${field}`}
              value={texts[field]}
              rows={field === 'template' ? 10 : 6}
              spellCheck={false}
              aria-invalid={errors[field] ? true : undefined}
              aria-describedby={errors[field] ? `definition-${field}-error` : undefined}
              onChange={(event) => setTexts((current) => ({ ...current, [field]: event.target.value }))}
            />
            {errors[field] ? (
              <p className="field-error" id={`definition-${field}-error`}>
                {errors[field]}
              </p>
            ) : null}
          </div>
        ))}
        <div className="field">
          <label htmlFor="definition-status">Publish as</label>
          <select
            id="definition-status"
            value={status}
            onChange={(event) => setStatus(event.target.value as 'active' | 'draft')}
          >
            <option value="draft">Draft (becomes active when made the default)</option>
            <option value="active">Active</option>
          </select>
        </div>
        {errors.form ? (
          <p className="action-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        {Object.keys(errors).some((k) => k !== 'form') ? (
          <p className="action-error" role="alert">
            Fix the fields marked above.
          </p>
        ) : null}
        {published ? (
          <p className="notice success" role="status">
            Published v{published}.
          </p>
        ) : null}
        <div>
          <button type="submit" className="button primary" disabled={publish.isPending}>
            Publish version
          </button>
        </div>
      </form>
    </section>
  );
}
