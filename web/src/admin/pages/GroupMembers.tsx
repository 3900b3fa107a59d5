// A group's members, a page at a time (Group.members), with removing one; shown under the group's
// row when its Members button is pressed.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { ErrorMessage } from '../errors';
import { Pager } from '../Pager';

const Members = graphql(`
  query ConsoleGroupMembers($id: ID!, $first: Int!, $after: Cursor) {
    group(id: $id) {
      id
      members(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id name email role } }
      }
    }
  }
`);

const Remove = graphql(`
  mutation ConsoleRemoveMember($groupId: ID!, $userIds: [ID!]!) {
    removeGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }
  }
`);

export const membersPageSize = 20;

export function GroupMembers({ groupId, groupName, onChanged }: { groupId: string; groupName: string; onChanged: () => void }) {
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const [result, refetch] = useQuery({ query: Members, variables: { id: groupId, first: membersPageSize, after }, requestPolicy: 'network-only' });
  const [removeState, remove] = useMutation(Remove);
  const conn = result.data?.group?.members;
  const users = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <div className="members" aria-label={`Members of ${groupName}`} role="region">
      <ErrorMessage error={result.error ?? removeState.error} />
      <ul>
        {users.map((u) => (
          <li key={u.id} data-member={u.email}>
            {u.name} &lt;{u.email}&gt;{' '}
            <button type="button" onClick={() => remove({ groupId, userIds: [u.id] }).then((r) => {
              if (!r.error) {
                refetch({ requestPolicy: 'network-only' });
                onChanged();
              }
            })}>Remove {u.email}</button>
          </li>
        ))}
        {conn && users.length === 0 && <li>No members.</li>}
      </ul>
      <Pager cursors={cursors} setCursors={setCursors} pageInfo={conn?.pageInfo} previous="Previous members" next="Next members">
        <span className="count">{conn ? `${conn.totalCount} in all` : ''}</span>
      </Pager>
    </div>
  );
}
