/** Default SLA hours by priority (origin-facts §8), used when a ticket is opened. */
export const SLA_HOURS: Record<string, { response: number; resolution: number }> = {
  critical: { response: 1, resolution: 4 },
  high: { response: 2, resolution: 8 },
  medium: { response: 4, resolution: 24 },
  low: { response: 8, resolution: 48 },
};

export function slaDue(priority: string, from: Date): { response: Date; resolution: Date } {
  const h = SLA_HOURS[priority] ?? (SLA_HOURS.medium as { response: number; resolution: number });
  return { response: new Date(from.getTime() + h.response * 3_600_000), resolution: new Date(from.getTime() + h.resolution * 3_600_000) };
}
