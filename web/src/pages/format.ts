const IST = new Intl.DateTimeFormat('en-IN', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Kolkata' });

/** Times as people in India read them. */
export const when = (iso: string | null | undefined) => (iso ? IST.format(new Date(iso)) : '—');
