import { NavLink as MantineNavLink, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router-dom';
import {
  canAdministerUsers,
  canDecideCommitments,
  canDownloadReports,
  canReadAudit,
  canReadIndicators,
  readsBusinessData,
  type Viewer,
} from './lib/permissions';
import { AdvocacyPage } from './pages/AdvocacyPage';
import { AuditPage } from './pages/AuditPage';
import { PartnershipsPage } from './pages/PartnershipsPage';
import { CampaignPage } from './pages/CampaignPage';
import { UsersPage } from './pages/UsersPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { CommitmentsPage } from './pages/CommitmentsPage';
import { DashboardPage } from './pages/DashboardPage';
import { ReportsPage } from './pages/ReportsPage';
import { SessionPage } from './pages/SessionPage';
import { TrainingPage } from './pages/TrainingPage';
import { Shell } from './Shell';

/** The signed-in console: the screens a role reads, and nothing it does not. */
export function App({ viewer, onLogout }: { viewer: Viewer; onLogout: () => void }) {
  const { t } = useTranslation();
  const business = readsBusinessData(viewer);
  const links = [
    canReadIndicators(viewer) && business && { to: '/', label: t('nav.dashboard') },
    business && { to: '/campaigns', label: t('nav.campaigns') },
    business && { to: '/training', label: t('nav.training') },
    business && { to: '/partnerships', label: t('nav.partnerships') },
    business && { to: '/advocacy', label: t('nav.advocacy') },
    canDecideCommitments(viewer) && { to: '/commitments', label: t('nav.commitments') },
    canDownloadReports(viewer) && { to: '/reports', label: t('nav.reports') },
    canReadAudit(viewer) && { to: '/audit', label: t('nav.audit') },
    canAdministerUsers(viewer) && { to: '/users', label: t('nav.users') },
  ].filter((l): l is { to: string; label: string } => Boolean(l));
  const nav = (
    <Stack component="nav" gap={2} aria-label="HRP">
      {links.map((l) => (
        <MantineNavLink key={l.to} component={NavLink} to={l.to} end={l.to === '/'} label={l.label} />
      ))}
      <MantineNavLink component="a" href={`${import.meta.env.BASE_URL}verify`} label={t('nav.verify')} />
    </Stack>
  );
  return (
    <Shell viewer={viewer} onLogout={onLogout} nav={nav}>
      <Routes>
        <Route path="/" element={<DashboardPage viewer={viewer} />} />
        <Route path="/campaigns" element={<CampaignsPage viewer={viewer} />} />
        <Route path="/campaigns/:id" element={<CampaignPage viewer={viewer} />} />
        <Route path="/training" element={<TrainingPage viewer={viewer} />} />
        <Route path="/training/:id" element={<SessionPage viewer={viewer} />} />
        <Route path="/partnerships" element={<PartnershipsPage viewer={viewer} />} />
        <Route path="/advocacy" element={<AdvocacyPage viewer={viewer} />} />
        <Route path="/commitments" element={<CommitmentsPage viewer={viewer} />} />
        <Route path="/reports" element={<ReportsPage />} />
        <Route path="/audit" element={<AuditPage viewer={viewer} />} />
        <Route path="/users" element={<UsersPage viewer={viewer} />} />
      </Routes>
    </Shell>
  );
}
