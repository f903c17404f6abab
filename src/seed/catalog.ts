import { createHash } from 'node:crypto';
import { DAY, iso, rupees, type SeedContext } from './context.ts';
import { json, line } from './copy.ts';
import { uuid } from './ids.ts';
import { DEFECTS } from './manifest.ts';
import { PRODUCTS, SKU_VARIANTS } from './reference.ts';
import { Quota, quotaFor } from './rng.ts';
import type { Org, Product, Sku, World } from './world.ts';

/**
 * The catalogue (products and SKUs of the real brands, codes `SKU-<md5 8>`), price books per channel
 * and per organization, and price rules, some with valid_to before valid_from
 * (price_rules.valid_to_before_valid_from).
 */
const CATALOG_CREATED = Date.UTC(2023, 3, 1);

export async function seedCatalog(ctx: SeedContext, world: World): Promise<void> {
  const rng = ctx.rng('catalog');
  const productLines: string[] = [];
  const skuLines: string[] = [];
  const codes = new Set<string>();
  for (const spec of PRODUCTS) {
    const manufacturer = world.manufacturers.find((m) => m.code === spec.manufacturer) as Org;
    const product: Product = { id: uuid(rng), spec, manufacturer, skus: [] };
    const t = CATALOG_CREATED + rng.int(0, 300) * DAY;
    productLines.push(line([product.id, manufacturer.id, spec.name, spec.category, iso(t), iso(t)]));
    const base = Math.round((spec.price[0] + spec.price[1]) / 2 / 1000) * 1000;
    for (const variant of SKU_VARIANTS.slice(0, rng.int(1, SKU_VARIANTS.length))) {
      const code = `SKU-${createHash('md5').update(`${spec.model}/${variant.suffix}`).digest('hex').slice(0, 8).toUpperCase()}`;
      if (codes.has(code)) throw new Error(`SKU code collision: ${code}`);
      codes.add(code);
      const sku: Sku = {
        id: uuid(rng),
        productId: product.id,
        name: `${spec.name} - ${variant.suffix}`,
        code,
        price: Math.round(base * variant.factor) * 100,
      };
      product.skus.push(sku);
      world.skus.push(sku);
      skuLines.push(
        line([
          sku.id,
          product.id,
          code,
          sku.name,
          json({ model: spec.model, variant: variant.suffix, warranty_months: rng.pick([12, 24, 36]), gst_percent: 12 }),
          iso(t),
          iso(t),
        ]),
      );
    }
    world.products.push(product);
  }
  ctx.expect('products', productLines.length);
  await ctx.load('products', ['id', 'manufacturer_org_id', 'name', 'category', 'created_at', 'updated_at'], productLines);
  ctx.expect('skus', skuLines.length);
  await ctx.load('skus', ['id', 'product_id', 'sku_code', 'name', 'attributes', 'created_at', 'updated_at'], skuLines);

  // Price books: a global list, one per channel, contract books for distributors and hospitals.
  const books: { id: string; name: string; org: Org | null; channel: string | null; factor: () => number; share: number }[] = [
    { id: uuid(rng), name: 'Base List Price', org: null, channel: null, factor: () => 1, share: 1 },
    { id: uuid(rng), name: 'Direct Sales', org: null, channel: 'DIRECT', factor: () => 1, share: 1 },
    { id: uuid(rng), name: 'Partner Channel', org: null, channel: 'PARTNER', factor: () => 0.88, share: 1 },
    { id: uuid(rng), name: 'Online Store', org: null, channel: 'ONLINE', factor: () => 0.95, share: 1 },
    ...world.distributors.slice(0, 10).map((d) => ({
      id: uuid(rng),
      name: `${d.name} Contract Prices`,
      org: d,
      channel: 'PARTNER',
      factor: () => 0.8 + rng.int(0, 10) / 100,
      share: 0.3 + rng.int(0, 30) / 100,
    })),
    ...world.customers.slice(0, 5).map((c) => ({
      id: uuid(rng),
      name: `${c.name} Rate Contract`,
      org: c,
      channel: null,
      factor: () => 0.85 + rng.int(0, 10) / 100,
      share: 0.3 + rng.int(0, 30) / 100,
    })),
  ];
  const bookLines = books.map((b) => line([b.id, b.name, b.org?.id ?? null, b.channel, 'INR', iso(CATALOG_CREATED), iso(CATALOG_CREATED)]));
  ctx.expect('price_books', bookLines.length);
  await ctx.load('price_books', ['id', 'name', 'org_id', 'channel', 'currency', 'created_at', 'updated_at'], bookLines);

  const rules: { book: (typeof books)[number]; sku: Sku }[] = [];
  for (const book of books) {
    const skus = book.share >= 1 ? world.skus : rng.sample(world.skus, Math.max(1, Math.round(book.share * world.skus.length)));
    for (const sku of skus) rules.push({ book, sku });
  }
  const quota = new Quota(rules.length, { reversed: quotaFor(DEFECTS['price_rules.valid_to_before_valid_from'].rate, rules.length) });
  const ruleLines: string[] = [];
  for (const { book, sku } of rules) {
    const from = Date.UTC(2024, 3, 1) + rng.int(0, 300) * DAY;
    const reversed = quota.next(rng) === 'reversed';
    const to = reversed ? from - rng.int(1, 90) * DAY : rng.chance(0.3) ? from + 365 * DAY : null;
    const price = Math.round((sku.price * book.factor()) / 10_000) * 10_000;
    ruleLines.push(line([uuid(rng), book.id, sku.id, rupees(price), iso(from), to === null ? null : iso(to), iso(from), iso(from)]));
  }
  ctx.defect('price_rules.valid_to_before_valid_from', { rows: quota.taken.get('reversed') ?? 0, population: rules.length });
  ctx.expect('price_rules', ruleLines.length);
  await ctx.load('price_rules', ['id', 'book_id', 'sku_id', 'price', 'valid_from', 'valid_to', 'created_at', 'updated_at'], ruleLines);
}
