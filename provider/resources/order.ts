/**
 * Order `items` like `reference` (matched by key), unmatched items last in their own order. Set-valued
 * properties come back from APIs in server order; presenting them in the user's order keeps
 * `pulumi stack output` and the engine's own displays stable.
 */
export function orderLike<T, R>(items: T[], reference: R[], key: (x: T | R) => string): T[] {
  const rank = new Map(reference.map((r, i) => [key(r), i] as const));
  return items
    .map((item, i) => ({ item, rank: rank.get(key(item)) ?? reference.length + i }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.item);
}
