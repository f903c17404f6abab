import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AsOfQuery, parseAsOf } from '../http/as-of.ts';
import { errors, IdParams, LegacyIdParams } from '../http/schemas.ts';
import { changeServiceProvider } from './change-service-provider.ts';
import * as q from './relationship-queries.ts';
import {
  HeldQuery,
  HistoryQuery,
  PartyChangeBody,
  PeriodList,
  RelocateBody,
  ServiceProviderBody,
  SupplyChainBody,
  TransferBody,
} from './relationships-schemas.ts';
import { relocateEquipment } from './relocate-equipment.ts';
import { transferOwnership } from './transfer-ownership.ts';

/** T1.4 routes: a device's parties over time, and the changes that move them (docs/database/T1.4.md). */
const tags = ['equipment relationships'];
const date = (v: string | undefined) => (v === undefined ? undefined : new Date(v));

export async function equipmentRelationshipRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const AsOf = Type.Object(AsOfQuery);

  r.get(
    '/equipment/:id/relationships',
    {
      schema: {
        tags,
        summary: 'The parties of a device as of an instant (one period per role)',
        params: LegacyIdParams,
        querystring: AsOf,
        response: { 200: PeriodList, ...errors(404) },
      },
    },
    async (req) => {
      const { at } = parseAsOf(req.query.as_of);
      return { as_of: at, items: await req.withCaller((tx) => q.partiesAsOf(tx, req.params.id, at)) };
    },
  );

  const history = {
    schema: {
      tags,
      summary: 'Every period of a device, oldest first within each role',
      params: LegacyIdParams,
      querystring: HistoryQuery,
      response: { 200: PeriodList, ...errors(404) },
    },
  };
  r.get('/equipment/:id/history', history, async (req) => ({
    items: await req.withCaller((tx) => q.relationshipHistory(tx, req.params.id, req.query.relationship_type)),
  }));
  r.get('/equipment/:id/relationships/history', history, async (req) => ({
    items: await req.withCaller((tx) => q.relationshipHistory(tx, req.params.id, req.query.relationship_type)),
  }));

  r.get(
    '/equipment/:id/supply-chain',
    {
      schema: {
        tags,
        summary: 'Manufacturer → distributor → dealer → owner of a device as of an instant',
        params: LegacyIdParams,
        querystring: AsOf,
        response: { 200: SupplyChainBody, ...errors(404) },
      },
    },
    async (req) => {
      const { at } = parseAsOf(req.query.as_of);
      return { as_of: at, items: await req.withCaller((tx) => q.supplyChain(tx, req.params.id, at)) };
    },
  );

  r.post(
    '/equipment/:id/transfer',
    {
      schema: {
        tags,
        summary: 'Sell, lease or transfer a device: closes the current period and opens the next at the same instant',
        params: LegacyIdParams,
        body: TransferBody,
        response: { 201: PartyChangeBody, ...errors(404, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const change = await req.withCaller((tx) =>
        transferOwnership(tx, {
          equipmentId: req.params.id,
          kind: b.kind,
          toOrganizationId: b.to_organization_id,
          leaseEndsAt: date(b.lease_ends_at),
          at: date(b.effective_at),
          reason: b.reason,
          documentUrl: b.document_url,
          amount: b.amount,
          currency: b.currency,
          actor: req.caller?.userId as string,
          expectedCurrentId: b.expected_current_id,
        }),
      );
      return reply.status(201).send(change);
    },
  );

  r.post(
    '/equipment/:id/relocate',
    {
      schema: {
        tags,
        summary: 'Move a device to another facility',
        params: LegacyIdParams,
        body: RelocateBody,
        response: { 201: PartyChangeBody, ...errors(404, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const change = await req.withCaller((tx) =>
        relocateEquipment(tx, {
          equipmentId: req.params.id,
          toFacilityId: b.to_facility_id,
          at: date(b.effective_at),
          reason: b.reason,
          documentUrl: b.document_url,
          actor: req.caller?.userId as string,
          expectedCurrentId: b.expected_current_id,
        }),
      );
      return reply.status(201).send(change);
    },
  );

  r.post(
    '/equipment/:id/service-provider',
    {
      schema: {
        tags,
        summary: 'Hand the servicing of a device to another organization',
        params: LegacyIdParams,
        body: ServiceProviderBody,
        response: { 201: PartyChangeBody, ...errors(404, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const change = await req.withCaller((tx) =>
        changeServiceProvider(tx, {
          equipmentId: req.params.id,
          toOrganizationId: b.to_organization_id,
          until: date(b.until),
          at: date(b.effective_at),
          reason: b.reason,
          documentUrl: b.document_url,
          amount: b.amount,
          currency: b.currency,
          actor: req.caller?.userId as string,
          expectedCurrentId: b.expected_current_id,
        }),
      );
      return reply.status(201).send(change);
    },
  );

  r.get(
    '/organizations/:id/equipment',
    {
      schema: {
        tags,
        summary: 'The devices an organization held in a role (owned_by by default) as of an instant',
        params: IdParams,
        querystring: HeldQuery,
        response: { 200: PeriodList, ...errors(404) },
      },
    },
    async (req) => {
      const { at } = parseAsOf(req.query.as_of);
      const types = [req.query.relationship_type ?? 'owned_by'] as const;
      return { as_of: at, items: await req.withCaller((tx) => q.organizationEquipmentAsOf(tx, req.params.id, at, types)) };
    },
  );

  r.get(
    '/facilities/:id/equipment',
    {
      schema: {
        tags,
        summary: 'The devices installed at a facility as of an instant',
        params: IdParams,
        querystring: AsOf,
        response: { 200: PeriodList, ...errors(404) },
      },
    },
    async (req) => {
      const { at } = parseAsOf(req.query.as_of);
      return { as_of: at, items: await req.withCaller((tx) => q.facilityEquipmentAsOf(tx, req.params.id, at)) };
    },
  );
}
