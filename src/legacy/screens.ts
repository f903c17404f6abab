import type pg from 'pg';

/**
 * The reads the old screens made, verbatim in spirit: list and detail pages that select the
 * legacy columns directly. Each returns its rows; the harness only times them and counts errors.
 */
export const screens = {
  ticketQueue: (db: pg.ClientBase, status: string) =>
    db.query(
      `select id, ticket_number, equipment_name, customer_name, customer_phone, priority, status, assigned_engineer_name,
              assignment_tier_name, sla_response_due, created_at
         from service_tickets where status = $1 order by created_at desc limit 50`,
      [status],
    ),
  ticketDetail: async (db: pg.ClientBase, id: string) => {
    const ticket = await db.query('select * from service_tickets where id = $1', [id]);
    const comments = await db.query('select * from ticket_comments where ticket_id = $1 order by created_at', [id]);
    const history = await db.query('select * from ticket_status_history where ticket_id = $1 order by changed_at', [id]);
    return { ticket: ticket.rows[0], comments: comments.rows, history: history.rows };
  },
  equipmentByQr: (db: pg.ClientBase, qr: string) =>
    db.query(
      `select id, qr_code, serial_number, equipment_name, customer_id, customer_name, owned_by_org_id, installed_facility_id,
              warranty_expiry, status from equipment where qr_code = $1`,
      [qr],
    ),
  engineersForPincode: (db: pg.ClientBase, pincode: string) =>
    db.query(
      `select id, full_name, engineer_level, status, active_tickets from engineers
        where $1 = any (coverage_pincodes) and status <> 'inactive' order by engineer_level desc, active_tickets limit 20`,
      [pincode],
    ),
  rfqWithQuotes: async (db: pg.ClientBase, rfqId: string) => {
    const rfq = await db.query('select id, rfq_number, title, status, items from rfqs where id = $1', [rfqId]);
    const quotes = await db.query('select id, quote_number, supplier_org_id, total_amount, line_items from quotes where rfq_id = $1', [
      rfqId,
    ]);
    return { rfq: rfq.rows[0], quotes: quotes.rows };
  },
  priceOf: (db: pg.ClientBase, skuId: string) =>
    db.query(
      `select b.name, b.channel, r.price from price_rules r join price_books b on b.id = r.book_id where r.sku_id = $1 order by b.name`,
      [skuId],
    ),
  partnersOf: (db: pg.ClientBase, orgId: string) =>
    db.query(
      `select r.id, o.name, r.rel_type, r.commission_percentage, r.credit_limit, r.performance_tier
         from org_relationships r join organizations o on o.id = r.child_org_id where r.parent_org_id = $1`,
      [orgId],
    ),
  territoryOwnerOf: (db: pg.ClientBase, pincode: string) =>
    db.query('select id, code, assigned_to_org_id, assigned_to_facility_id from territories where $1 = any (pincodes)', [pincode]),
  primaryContactOf: (db: pg.ClientBase, orgId: string) =>
    db.query('select id, name, email, primary_phone from contact_persons where org_id = $1 and is_primary limit 1', [orgId]),
  expiringCertifications: (db: pg.ClientBase, days: number) =>
    db.query(
      `select id, org_id, certification_type, certification_number, expiry_date from organization_certifications
        where expiry_date between current_date and current_date + $1::int order by expiry_date limit 100`,
      [days],
    ),
};
