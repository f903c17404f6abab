import { useEffect, useState } from 'react';
import { api, type Session, session } from './api.ts';
import { ContactHistory } from './pages/ContactHistory.tsx';
import { CustomerDetail } from './pages/CustomerDetail.tsx';
import { Customers } from './pages/Customers.tsx';
import { EquipmentByQr } from './pages/EquipmentByQr.tsx';
import { Login } from './pages/Login.tsx';
import { ReviewQueue } from './pages/ReviewQueue.tsx';
import { RfqDetail } from './pages/RfqDetail.tsx';
import { Rfqs } from './pages/Rfqs.tsx';
import { ServiceRequest } from './pages/ServiceRequest.tsx';
import { TicketDetail } from './pages/TicketDetail.tsx';
import { Tickets } from './pages/Tickets.tsx';
import { Link, navigate, useLocation } from './router.tsx';

const ROLE_LABEL: Record<string, string> = {
  system_admin: 'Platform admin',
  manufacturer_admin: 'Manufacturer',
  distributor_admin: 'Distributor',
  dealer_admin: 'Dealer',
  hospital_admin: 'Hospital',
  engineer: 'Engineer',
};

export function App() {
  const location = useLocation();
  const [current, setCurrent] = useState<Session | null>(session.get());

  useEffect(() => {
    const onLogout = () => setCurrent(null);
    window.addEventListener('abymed:logout', onLogout);
    return () => window.removeEventListener('abymed:logout', onLogout);
  }, []);

  // The public page needs no login: whoever scans a label lands here.
  if (location.pathname === '/service-request') return <ServiceRequest qr={location.searchParams.get('qr') ?? ''} />;

  if (!current) {
    return (
      <Login
        onLogin={(s) => {
          session.set(s);
          setCurrent(s);
          if (location.pathname === '/' || location.pathname === '/login') navigate('/tickets');
        }}
      />
    );
  }

  const logout = async () => {
    await api('/auth/logout', { method: 'POST' }).catch(() => {});
    session.set(null);
    setCurrent(null);
    navigate('/login');
  };

  const path = location.pathname;
  const ticketMatch = /^\/tickets\/([^/]+)$/.exec(path);
  let page = <Tickets />;
  if (ticketMatch?.[1]) page = <TicketDetail id={decodeURIComponent(ticketMatch[1])} />;
  else if (path === '/equipment') page = <EquipmentByQr initialQr={location.searchParams.get('qr') ?? ''} />;
  const customerMatch = /^\/customers\/([^/]+)$/.exec(path);
  const contactsMatch = /^\/organizations\/([^/]+)\/contacts$/.exec(path);
  if (path === '/customers') page = <Customers />;
  else if (path === '/customers/review') page = <ReviewQueue />;
  else if (customerMatch?.[1]) page = <CustomerDetail id={decodeURIComponent(customerMatch[1])} />;
  else if (contactsMatch?.[1]) page = <ContactHistory orgId={decodeURIComponent(contactsMatch[1])} />;
  const rfqMatch = /^\/rfq\/([^/]+)$/.exec(path);
  if (path === '/rfq') page = <Rfqs />;
  else if (rfqMatch?.[1]) page = <RfqDetail id={decodeURIComponent(rfqMatch[1])} />;

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">ABY-MED</span>
        <nav>
          <Link to="/tickets" className={path.startsWith('/tickets') ? 'active' : ''}>
            Tickets
          </Link>
          <Link to="/customers" className={path.startsWith('/customers') ? 'active' : ''}>
            Customers
          </Link>
          <Link to="/equipment" className={path.startsWith('/equipment') ? 'active' : ''}>
            Equipment by QR
          </Link>
          <Link to="/rfq" className={path.startsWith('/rfq') ? 'active' : ''}>
            RFQs
          </Link>
          <a href="/api/v1/docs" target="_blank" rel="noreferrer">
            API reference
          </a>
        </nav>
        <span className="who" data-testid="who">
          {current.user.full_name} · {ROLE_LABEL[current.user.role] ?? current.user.role}
        </span>
        <button type="button" className="link" onClick={logout}>
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </div>
  );
}
