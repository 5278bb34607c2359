import { useQuery } from '@tanstack/react-query';
import { useState, type MouseEvent } from 'react';
import { messageOf } from '../api/api-error';
import type { ArtifactView } from '../api/types';
import { useApi } from '../app/app-context';

/**
 * A "Download" link through the artifact's short-lived signed URL: signed when shown, and
 * signed again on click if it has expired meanwhile.
 */
export function ArtifactDownload({ artifact, label }: { artifact: ArtifactView; label: string }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const signed = useQuery({
    queryKey: ['signed', artifact.id, artifact.checksum],
    queryFn: () => api.signArtifact(artifact.id),
    staleTime: 60_000,
  });

  const onClick = async (event: MouseEvent<HTMLAnchorElement>) => {
    const current = signed.data;
    if (current && Date.parse(current.expires_at) - Date.now() > 5_000) return;
    event.preventDefault();
    setError(null);
    try {
      const fresh = await signed.refetch();
      if (fresh.data) window.location.assign(fresh.data.url);
      else if (fresh.error) setError(fresh.error);
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <>
      <a
        className="button secondary small"
        href={signed.data?.url ?? '#'}
        download={artifact.filename}
        onClick={onClick}
        title={`${artifact.filename}, ${artifact.size} bytes`}
      >
        Download {label}
      </a>
      {error ? (
        <span role="alert" className="field-error">
          {messageOf(error)}
        </span>
      ) : null}
    </>
  );
}
