/**
 * Whether a conversation row is the direct conversation of exactly these two people. Opening a
 * direct conversation finds it by id, and an id can be known to anyone; only this says the row
 * behind the id is theirs (and not, say, an activity's room that someone made under that id).
 */
export function isDirectConversationOf(
  row: { kind: string; activityId: string | null; userA: string | null; userB: string | null },
  people: readonly [string, string],
): boolean {
  const [first, second] = [...people].sort();
  return row.kind === 'direct' && row.activityId === null && row.userA === first && row.userB === second;
}
