import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errors, Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';
import { ROLES } from './caller.ts';
import { login } from './login.ts';
import { revokeToken } from './tokens.ts';

const tags = ['auth'];

const User = Type.Object({ id: Uuid, email: Type.String(), full_name: Type.String(), role: StringEnum(ROLES), org_id: Nullable(Uuid) });

export interface AuthRouteOptions {
  /** Failed and successful logins alike count against this budget per client address. */
  loginRateLimit: { max: number; timeWindow: number };
}

export async function authRoutes(app: FastifyInstance, options: AuthRouteOptions): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: options.loginRateLimit },
      schema: {
        tags,
        security: [],
        summary: 'Console login: email and password give a session token (12 h)',
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ token: Type.String(), expires_at: Nullable(Timestamp), user: User }), ...errors() },
      },
    },
    (req) => login(app.database.db, req.body.email, req.body.password),
  );

  r.post(
    '/auth/logout',
    {
      schema: { tags, summary: 'Revoke the token this request presents', response: { 204: Type.Null(), ...errors() } },
    },
    async (req, reply) => {
      await revokeToken(app.database.db, { id: req.caller!.tokenId });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/auth/me',
    {
      schema: { tags, summary: 'Who the token stands for', response: { 200: User, ...errors() } },
    },
    (req) => {
      const c = req.caller!;
      return { id: c.userId, email: c.email, full_name: c.fullName, role: c.role, org_id: c.orgId };
    },
  );
}
