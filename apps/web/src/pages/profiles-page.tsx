import { PageTitle } from '../components/page-title';

export function ProfilesPage() {
  return <PageTitle title="ProfilesPage" />;
}
