import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors, Page } from '../http/schemas.ts';
import { qrPayload, qrPng } from './qr.ts';
import * as equipment from './queries.ts';
import { Equipment, EquipmentIdParams, EquipmentQuery, NewEquipment, QrParams, SerialParams } from './schemas.ts';

const tags = ['equipment'];
const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export async function equipmentRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/equipment',
    {
      schema: { tags, summary: 'Equipment in your network', querystring: EquipmentQuery, response: { 200: Page(Equipment), ...errors() } },
    },
    (req) => req.withCaller((tx) => equipment.listEquipment(tx, req.query)),
  );

  r.post(
    '/equipment',
    {
      schema: {
        tags,
        summary: 'Register a device; a QR code QR-YYYYMMDD-NNNNNN is generated',
        body: NewEquipment,
        response: { 201: Equipment, ...errors(403, 409, 422) },
      },
    },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => equipment.registerEquipment(tx, req.caller!, req.body))),
  );

  r.get(
    '/equipment/qr/:qr_code',
    {
      schema: { tags, summary: 'Look a device up by its QR code', params: QrParams, response: { 200: Equipment, ...errors(404) } },
    },
    (req) => req.withCaller((tx) => equipment.getEquipmentByQr(tx, req.params.qr_code)),
  );

  r.get(
    '/equipment/serial/:serial',
    {
      schema: {
        tags,
        summary: 'Look a device up by its serial number',
        params: SerialParams,
        response: { 200: Equipment, ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => equipment.getEquipmentBySerial(tx, req.params.serial)),
  );

  r.get(
    '/equipment/qr/image/:id',
    {
      schema: {
        tags,
        summary: 'The QR label of a device as a PNG (payload {url, id, serial, qr})',
        params: EquipmentIdParams,
        response: {
          200: {
            description: 'PNG image',
            content: { 'image/png': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
          },
          ...errors(404),
        },
      },
    },
    async (req, reply) => {
      const row = await req.withCaller((tx) => equipment.getEquipment(tx, req.params.id));
      return reply.type('image/png').send(await qrPng(qrPayload(row, baseUrl(req))));
    },
  );

  r.get(
    '/equipment/:id',
    {
      schema: { tags, summary: 'One device', params: EquipmentIdParams, response: { 200: Equipment, ...errors(404) } },
    },
    (req) => req.withCaller((tx) => equipment.getEquipment(tx, req.params.id)),
  );
}
