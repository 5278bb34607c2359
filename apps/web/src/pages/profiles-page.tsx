import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { Empty, ErrorState, Loading } from '../components/states';
import { TimeText } from '../components/time-text';

export function ProfilesPage() {
  const api = useApi();
  const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => api.listProfiles() });
  return (
    <section>
      <PageTitle title="Profiles" />
      <p className="hint">
        A profile decides what an analysis looks for and how its results read. Each version is kept.
      </p>
      {profiles.isPending ? (
        <Loading label="Loading the profiles" />
      ) : profiles.isError ? (
        <ErrorState error={profiles.error} retry={() => void profiles.refetch()} />
      ) : profiles.data.items.length === 0 ? (
        <Empty>No profiles.</Empty>
      ) : (
        <ul className="result-items">
          {profiles.data.items.map((profile) => (
            <li className="result-item" key={profile.key}>
              <h2>
                <Link to={`/profiles/${profile.key}`}>{profile.name}</Link>{' '}
                <span className="muted small mono">{profile.key}</span>
              </h2>
              <p>{profile.description ?? ''}</p>
              <div className="result-meta">
                <span>Default version v{profile.default_version}</span>
                <span>
                  Updated <TimeText iso={profile.updated_at} />
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
