import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import {
  ALL_SCOPES,
  WEBHOOK_EVENT_TYPES,
  type CreatedApiToken,
  type CreatedWebhook,
  type Scope,
  type WebhookEventType,
} from '../api/types';
import { useServices, useSignedInUser } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { StatusBadge } from '../components/status-badge';
import { ActionError, Empty, ErrorState, Loading } from '../components/states';
import { TimeText } from '../components/time-text';

const SCOPE_TEXT: Record<Scope, string> = {
  'jobs:read': 'Read jobs and results',
  'jobs:write': 'Submit, change and delete jobs',
  'account:admin': 'Manage this account and its tokens',
  'profiles:admin': 'Manage profiles (admins)',
  'users:admin': 'Manage users (admins)',
  'audit:read': 'Read the audit log (admins)',
};

export function SettingsPage() {
  return (
    <section>
      <PageTitle title="Settings" />
      <div className="stack">
        <ApiTokens />
        <Webhooks />
        <MyData />
      </div>
    </section>
  );
}

/** A secret the API shows once: said so, and selectable for copying. */
function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  return (
    <div className="secret" role="status">
      <p>
        <strong>{label}</strong> It is shown only this once: copy it now.
      </p>
      <code>{secret}</code>
      <div className="row-actions">
        <button
          type="button"
          className="button secondary small"
          onClick={() => void navigator.clipboard?.writeText(secret)}
        >
          Copy
        </button>
        <button type="button" className="button secondary small" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

function ApiTokens() {
  const { api } = useServices();
  const user = useSignedInUser();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['jobs:read']);
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api.listTokens() });
  const create = useMutation({
    mutationFn: () =>
      api.createToken({
        name: name.trim(),
        scopes,
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      }),
    onSuccess: (token) => {
      setCreated(token);
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.revokeToken(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const offered = ALL_SCOPES.filter(
    (scope) => user?.role === 'admin' || scope.startsWith('jobs:') || scope === 'account:admin',
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="hint">For the command line and scripts: send it as “Authorization: Bearer …”.</p>
      {created ? (
        <SecretOnce
          label={`Token “${created.name}” created.`}
          secret={created.token}
          onDone={() => setCreated(null)}
        />
      ) : null}
      <form className="form" onSubmit={submit}>
        <div className="form-row">
          <div className="field">
            <label htmlFor="token-name">Token name</label>
            <input
              id="token-name"
              type="text"
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="laptop CLI"
            />
          </div>
          <div className="field">
            <label htmlFor="token-expires">Expires (optional)</label>
            <input
              id="token-expires"
              type="date"
              value={expires}
              onChange={(event) => setExpires(event.target.value)}
            />
          </div>
        </div>
        <fieldset className="field">
          <legend>Scopes</legend>
          <div className="checks">
            {offered.map((scope) => (
              <label className="check" key={scope}>
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(event) =>
                    setScopes((current) =>
                      event.target.checked ? [...current, scope] : current.filter((s) => s !== scope),
                    )
                  }
                />
                <span>
                  <span className="mono">{scope}</span>{' '}
                  <span className="muted small">{SCOPE_TEXT[scope]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <ActionError error={create.error} />
        <div>
          <button
            type="submit"
            className="button primary"
            disabled={create.isPending || !name.trim() || scopes.length === 0}
          >
            Create token
          </button>
        </div>
      </form>

      <div className="results-section">
        <ActionError error={revoke.error} />
        {tokens.isPending ? (
          <Loading label="Loading your tokens" />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} retry={() => void tokens.refetch()} />
        ) : tokens.data.items.length === 0 ? (
          <Empty>No API tokens.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table-responsive">
              <caption className="visually-hidden">Your API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.items.map((token) => (
                  <tr key={token.id}>
                    <td data-label="Name">{token.name}</td>
                    <td data-label="Scopes" className="mono">
                      {token.scopes.join(', ')}
                    </td>
                    <td data-label="Created">
                      <TimeText iso={token.created_at} />
                    </td>
                    <td data-label="Last used">
                      <TimeText iso={token.last_used_at} />
                    </td>
                    <td data-label="Expires">
                      {token.expires_at ? <TimeText iso={token.expires_at} /> : 'never'}
                    </td>
                    <td data-label="Actions">
                      {token.revoked_at ? (
                        <StatusBadge status="revoked" />
                      ) : (
                        <button
                          type="button"
                          className="button danger small"
                          onClick={() => revoke.mutate(token.id)}
                          disabled={revoke.isPending}
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

function Webhooks() {
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES]);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => api.listWebhooks() });
  const create = useMutation({
    mutationFn: () => api.createWebhook({ url: url.trim(), events }),
    onSuccess: (hook) => {
      setCreated(hook);
      setUrl('');
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.deleteWebhook(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="hint">
        A signed POST to your URL when a job completes or fails, retried with backoff. Check the
        ScriptRipper-Signature header with the secret.
      </p>
      {created ? (
        <SecretOnce
          label={`Webhook for ${created.url} created.`}
          secret={created.secret}
          onDone={() => setCreated(null)}
        />
      ) : null}
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="webhook-url">Webhook URL</label>
          <input
            id="webhook-url"
            type="url"
            maxLength={2048}
            value={url}
            placeholder="https://hooks.example.com/scriptripper"
            onChange={(event) => setUrl(event.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend>Events</legend>
          <div className="checks">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label className="check" key={type}>
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(event) =>
                    setEvents((current) =>
                      event.target.checked ? [...current, type] : current.filter((t) => t !== type),
                    )
                  }
                />
                <span className="mono">{type}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <ActionError error={create.error} />
        <div>
          <button
            type="submit"
            className="button primary"
            disabled={create.isPending || !url.trim() || events.length === 0}
          >
            Create webhook
          </button>
        </div>
      </form>
      <div className="results-section stack">
        <ActionError error={remove.error} />
        {hooks.isPending ? (
          <Loading label="Loading your webhooks" />
        ) : hooks.isError ? (
          <ErrorState error={hooks.error} retry={() => void hooks.refetch()} />
        ) : hooks.data.items.length === 0 ? (
          <Empty>No webhooks.</Empty>
        ) : (
          hooks.data.items.map((hook) => (
            <div className="result-item" key={hook.id}>
              <p className="mono">{hook.url}</p>
              <div className="result-meta">
                <span>{hook.events.join(', ')}</span>
                <span>
                  Created <TimeText iso={hook.created_at} />
                </span>
                <button
                  type="button"
                  className="button danger small"
                  onClick={() => remove.mutate(hook.id)}
                  disabled={remove.isPending}
                  aria-label={`Delete webhook ${hook.url}`}
                >
                  Delete
                </button>
              </div>
              <Deliveries webhookId={hook.id} />
            </div>
          ))
        )}
      </div>
    </section>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const { api } = useServices();
  const [open, setOpen] = useState(false);
  const deliveries = useQuery({
    queryKey: ['deliveries', webhookId],
    queryFn: () => api.deliveriesOf(webhookId),
    enabled: open,
  });
  return (
    <details onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
      <summary>Delivery attempts</summary>
      {!open ? null : deliveries.isPending ? (
        <Loading label="Loading deliveries" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} retry={() => void deliveries.refetch()} />
      ) : deliveries.data.items.length === 0 ? (
        <p className="muted">Nothing delivered yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table-responsive">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempt</th>
                <th scope="col">At</th>
                <th scope="col">Answer</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.items.flatMap((delivery) =>
                (delivery.attempts.length ? delivery.attempts : [null]).map((attempt, index) => (
                  <tr key={`${delivery.id}-${index}`}>
                    <td data-label="Event">
                      <span className="mono">{delivery.event_type}</span>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={delivery.status} />
                    </td>
                    <td data-label="Attempt">{attempt ? attempt.attempt : '—'}</td>
                    <td data-label="At">
                      <TimeText iso={attempt?.attempted_at ?? delivery.created_at} />
                    </td>
                    <td data-label="Answer">
                      {attempt
                        ? `${attempt.status_code ?? 'no answer'} in ${attempt.duration_ms} ms${attempt.error ? `: ${attempt.error}` : ''}`
                        : delivery.next_attempt_at
                          ? 'pending'
                          : '—'}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

function MyData() {
  const { api, session, queryClient } = useServices();
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [confirmEmail, setConfirmEmail] = useState('');
  const download = useMutation({
    mutationFn: () => api.exportMyData(),
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `scriptripper-export-${new Date().toISOString().slice(0, 10)}.zip`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  const purge = useMutation({
    mutationFn: () => api.deleteMyAccount(),
    onSuccess: () => {
      session.forget();
      queryClient.clear();
      navigate('/sign-in', { replace: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmEmail.trim().toLowerCase() === user?.email.toLowerCase()) purge.mutate();
  };
  return (
    <section className="panel" aria-labelledby="data-heading">
      <h2 id="data-heading">Your data</h2>
      <p>One ZIP with your account, jobs, results, transcripts, prompts, batches and webhooks.</p>
      <div className="row-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => download.mutate()}
          disabled={download.isPending}
        >
          {download.isPending ? 'Preparing your data…' : 'Download my data'}
        </button>
      </div>
      <ActionError error={download.error} />
      <h3 className="results-section">Delete my account</h3>
      <p>
        Deletes your account and every job, result and transcript of it, for good. Type your email address to
        confirm.
      </p>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="confirm-email">Your email address</label>
          <input
            id="confirm-email"
            type="email"
            autoComplete="off"
            value={confirmEmail}
            onChange={(event) => setConfirmEmail(event.target.value)}
          />
        </div>
        <ActionError error={purge.error} />
        <div>
          <button
            type="submit"
            className="button danger"
            disabled={purge.isPending || confirmEmail.trim().toLowerCase() !== user?.email.toLowerCase()}
          >
            Delete my account
          </button>
        </div>
      </form>
    </section>
  );
}
