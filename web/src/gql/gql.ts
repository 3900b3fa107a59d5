/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ConsoleMe {\n    me { id name email role }\n  }\n": typeof types.ConsoleMeDocument,
    "\n  mutation ConsoleSignOut {\n    signout\n  }\n": typeof types.ConsoleSignOutDocument,
    "\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID description actor { email } } }\n    }\n  }\n": typeof types.ConsoleAuditDocument,
    "\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID description actor { email } }\n  }\n": typeof types.ConsoleAuditTailDocument,
    "\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq } }\n  }\n": typeof types.ConsoleVerifyAuditDocument,
    "\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n    }\n  }\n": typeof types.ConsoleOverviewDocument,
    "\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n": typeof types.ConsoleDashboardUsageDocument,
    "\n  query ConsoleGroups {\n    groups(first: 100) {\n      totalCount\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n": typeof types.ConsoleGroupsDocument,
    "\n  mutation ConsoleCreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) { id name }\n  }\n": typeof types.ConsoleCreateGroupDocument,
    "\n  mutation ConsoleAddMembers($groupId: ID!, $userIds: [ID!]!) {\n    addGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n": typeof types.ConsoleAddMembersDocument,
    "\n  query ConsoleUserByEmail($query: String!) {\n    users(first: 2, query: $query) { edges { node { id email } } }\n  }\n": typeof types.ConsoleUserByEmailDocument,
    "\n  query ConsoleExplain($userId: ID!, $key: String!) {\n    explainPermission(userId: $userId, key: $key) {\n      key granted known reason\n      sources { kind groupName value }\n    }\n  }\n": typeof types.ConsoleExplainDocument,
    "\n  subscription ConsoleLiveUsage {\n    usageUpdated { userId metric amount used limit remaining percentage }\n  }\n": typeof types.ConsoleLiveUsageDocument,
    "\n  subscription ConsoleQuotaAlerts {\n    quotaAlert { userId metric threshold used limit at }\n  }\n": typeof types.ConsoleQuotaAlertsDocument,
    "\n  query ConsoleModels {\n    models { id name baseModelID isActive accessControl updatedAt owner { id name email } }\n    groups(first: 100) { edges { node { id name } } }\n  }\n": typeof types.ConsoleModelsDocument,
    "\n  mutation ConsoleCreateModel($input: CreateModelInput!) {\n    createModel(input: $input) { id }\n  }\n": typeof types.ConsoleCreateModelDocument,
    "\n  mutation ConsoleUpdateModel($id: ID!, $input: UpdateModelInput!) {\n    updateModel(id: $id, input: $input) { id name baseModelID isActive accessControl }\n  }\n": typeof types.ConsoleUpdateModelDocument,
    "\n  mutation ConsoleDeleteModel($id: ID!) {\n    deleteModel(id: $id)\n  }\n": typeof types.ConsoleDeleteModelDocument,
    "\n  query ConsoleUsersWithAccess($id: ID!) {\n    readers: usersWithAccess(modelId: $id, access: READ) { id name email }\n    writers: usersWithAccess(modelId: $id, access: WRITE) { id name email }\n  }\n": typeof types.ConsoleUsersWithAccessDocument,
    "\n  query ConsoleModelUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": typeof types.ConsoleModelUserByEmailDocument,
    "\n  query ConsoleModelUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n": typeof types.ConsoleModelUsersDocument,
    "\n  query ConsoleTransactions($first: Int, $after: Cursor, $where: TransactionWhereInput) {\n    transactions(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id createdAt status amount refunded currency description provider providerPaymentID userID\n          plan { id name }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleTransactionsDocument,
    "\n  query ConsolePaymentUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n": typeof types.ConsolePaymentUsersDocument,
    "\n  query ConsolePaymentUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": typeof types.ConsolePaymentUserByEmailDocument,
    "\n  query ConsolePaymentMethod($userId: ID!) {\n    paymentMethod(userId: $userId) { type title cardLast4 createdAt }\n  }\n": typeof types.ConsolePaymentMethodDocument,
    "\n  mutation ConsolePaymentsRemoveMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n": typeof types.ConsolePaymentsRemoveMethodDocument,
    "\n  mutation ConsoleRefundPayment($id: ID!, $amount: Decimal, $reason: String!, $effect: RefundEffect!) {\n    refundPayment(id: $id, amount: $amount, reason: $reason, subscriptionEffect: $effect) { id status refunded }\n  }\n": typeof types.ConsoleRefundPaymentDocument,
    "\n  mutation ConsoleSyncPayment($id: ID!) {\n    syncPayment(id: $id) { id status refunded }\n  }\n": typeof types.ConsoleSyncPaymentDocument,
    "\n  query ConsolePlans {\n    plans(includeInactive: true) {\n      id name price currency interval isActive\n      quotas { metric limit }\n      stats { activeSubscriptions mrr { amount currency } }\n    }\n  }\n": typeof types.ConsolePlansDocument,
    "\n  mutation ConsoleCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { id }\n  }\n": typeof types.ConsoleCreatePlanDocument,
    "\n  mutation ConsoleTogglePlan($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n": typeof types.ConsoleTogglePlanDocument,
    "\n  mutation ConsoleDuplicatePlan($id: ID!) {\n    duplicatePlan(id: $id) { id }\n  }\n": typeof types.ConsoleDuplicatePlanDocument,
    "\n  mutation ConsoleAssignPlan($userId: ID!, $planId: ID!, $complimentary: Boolean) {\n    assignPlan(userId: $userId, planId: $planId, complimentary: $complimentary) { id status complimentary }\n  }\n": typeof types.ConsoleAssignPlanDocument,
    "\n  query ConsolePlanUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": typeof types.ConsolePlanUserByEmailDocument,
    "\n  query ConsoleSignInMethods {\n    appConfig {\n      name\n      signInMethods { password providers { id name loginUrl } }\n    }\n  }\n": typeof types.ConsoleSignInMethodsDocument,
    "\n  mutation ConsoleSignIn($input: SigninInput!) {\n    signin(input: $input) { user { id role } }\n  }\n": typeof types.ConsoleSignInDocument,
    "\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n": typeof types.ConsoleUserDetailDocument,
    "\n  mutation ConsoleDetailSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n": typeof types.ConsoleDetailSetRoleDocument,
    "\n  mutation ConsoleUnlockUser($id: ID!) {\n    unlockUser(id: $id) { id lockedUntil failedSignins }\n  }\n": typeof types.ConsoleUnlockUserDocument,
    "\n  mutation ConsoleRevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": typeof types.ConsoleRevokeSessionDocument,
    "\n  mutation ConsoleRevokeAPIKey($id: ID!) {\n    revokeAPIKey(id: $id)\n  }\n": typeof types.ConsoleRevokeApiKeyDocument,
    "\n  mutation ConsoleRemoveUserPaymentMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n": typeof types.ConsoleRemoveUserPaymentMethodDocument,
    "\n  query ConsoleUsers($first: Int, $after: Cursor, $query: String, $where: UserWhereInput, $orderBy: [UserOrder!]) {\n    users(first: $first, after: $after, query: $query, where: $where, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email role createdAt lastActiveAt } }\n    }\n  }\n": typeof types.ConsoleUsersDocument,
    "\n  mutation ConsoleSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n": typeof types.ConsoleSetRoleDocument,
    "\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n": typeof types.ConsoleDeleteUserDocument,
    "\n  mutation ConsoleSetUsersRole($ids: [ID!]!, $role: Role!) {\n    setUsersRole(ids: $ids, role: $role) { id changed code message }\n  }\n": typeof types.ConsoleSetUsersRoleDocument,
    "\n  mutation ConsoleDeleteUsers($ids: [ID!]!) {\n    deleteUsers(ids: $ids) { id deleted code message }\n  }\n": typeof types.ConsoleDeleteUsersDocument,
};
const documents: Documents = {
    "\n  query ConsoleMe {\n    me { id name email role }\n  }\n": types.ConsoleMeDocument,
    "\n  mutation ConsoleSignOut {\n    signout\n  }\n": types.ConsoleSignOutDocument,
    "\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID description actor { email } } }\n    }\n  }\n": types.ConsoleAuditDocument,
    "\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID description actor { email } }\n  }\n": types.ConsoleAuditTailDocument,
    "\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq } }\n  }\n": types.ConsoleVerifyAuditDocument,
    "\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n    }\n  }\n": types.ConsoleOverviewDocument,
    "\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n": types.ConsoleDashboardUsageDocument,
    "\n  query ConsoleGroups {\n    groups(first: 100) {\n      totalCount\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n": types.ConsoleGroupsDocument,
    "\n  mutation ConsoleCreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) { id name }\n  }\n": types.ConsoleCreateGroupDocument,
    "\n  mutation ConsoleAddMembers($groupId: ID!, $userIds: [ID!]!) {\n    addGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n": types.ConsoleAddMembersDocument,
    "\n  query ConsoleUserByEmail($query: String!) {\n    users(first: 2, query: $query) { edges { node { id email } } }\n  }\n": types.ConsoleUserByEmailDocument,
    "\n  query ConsoleExplain($userId: ID!, $key: String!) {\n    explainPermission(userId: $userId, key: $key) {\n      key granted known reason\n      sources { kind groupName value }\n    }\n  }\n": types.ConsoleExplainDocument,
    "\n  subscription ConsoleLiveUsage {\n    usageUpdated { userId metric amount used limit remaining percentage }\n  }\n": types.ConsoleLiveUsageDocument,
    "\n  subscription ConsoleQuotaAlerts {\n    quotaAlert { userId metric threshold used limit at }\n  }\n": types.ConsoleQuotaAlertsDocument,
    "\n  query ConsoleModels {\n    models { id name baseModelID isActive accessControl updatedAt owner { id name email } }\n    groups(first: 100) { edges { node { id name } } }\n  }\n": types.ConsoleModelsDocument,
    "\n  mutation ConsoleCreateModel($input: CreateModelInput!) {\n    createModel(input: $input) { id }\n  }\n": types.ConsoleCreateModelDocument,
    "\n  mutation ConsoleUpdateModel($id: ID!, $input: UpdateModelInput!) {\n    updateModel(id: $id, input: $input) { id name baseModelID isActive accessControl }\n  }\n": types.ConsoleUpdateModelDocument,
    "\n  mutation ConsoleDeleteModel($id: ID!) {\n    deleteModel(id: $id)\n  }\n": types.ConsoleDeleteModelDocument,
    "\n  query ConsoleUsersWithAccess($id: ID!) {\n    readers: usersWithAccess(modelId: $id, access: READ) { id name email }\n    writers: usersWithAccess(modelId: $id, access: WRITE) { id name email }\n  }\n": types.ConsoleUsersWithAccessDocument,
    "\n  query ConsoleModelUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": types.ConsoleModelUserByEmailDocument,
    "\n  query ConsoleModelUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n": types.ConsoleModelUsersDocument,
    "\n  query ConsoleTransactions($first: Int, $after: Cursor, $where: TransactionWhereInput) {\n    transactions(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id createdAt status amount refunded currency description provider providerPaymentID userID\n          plan { id name }\n        }\n      }\n    }\n  }\n": types.ConsoleTransactionsDocument,
    "\n  query ConsolePaymentUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n": types.ConsolePaymentUsersDocument,
    "\n  query ConsolePaymentUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": types.ConsolePaymentUserByEmailDocument,
    "\n  query ConsolePaymentMethod($userId: ID!) {\n    paymentMethod(userId: $userId) { type title cardLast4 createdAt }\n  }\n": types.ConsolePaymentMethodDocument,
    "\n  mutation ConsolePaymentsRemoveMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n": types.ConsolePaymentsRemoveMethodDocument,
    "\n  mutation ConsoleRefundPayment($id: ID!, $amount: Decimal, $reason: String!, $effect: RefundEffect!) {\n    refundPayment(id: $id, amount: $amount, reason: $reason, subscriptionEffect: $effect) { id status refunded }\n  }\n": types.ConsoleRefundPaymentDocument,
    "\n  mutation ConsoleSyncPayment($id: ID!) {\n    syncPayment(id: $id) { id status refunded }\n  }\n": types.ConsoleSyncPaymentDocument,
    "\n  query ConsolePlans {\n    plans(includeInactive: true) {\n      id name price currency interval isActive\n      quotas { metric limit }\n      stats { activeSubscriptions mrr { amount currency } }\n    }\n  }\n": types.ConsolePlansDocument,
    "\n  mutation ConsoleCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { id }\n  }\n": types.ConsoleCreatePlanDocument,
    "\n  mutation ConsoleTogglePlan($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n": types.ConsoleTogglePlanDocument,
    "\n  mutation ConsoleDuplicatePlan($id: ID!) {\n    duplicatePlan(id: $id) { id }\n  }\n": types.ConsoleDuplicatePlanDocument,
    "\n  mutation ConsoleAssignPlan($userId: ID!, $planId: ID!, $complimentary: Boolean) {\n    assignPlan(userId: $userId, planId: $planId, complimentary: $complimentary) { id status complimentary }\n  }\n": types.ConsoleAssignPlanDocument,
    "\n  query ConsolePlanUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": types.ConsolePlanUserByEmailDocument,
    "\n  query ConsoleSignInMethods {\n    appConfig {\n      name\n      signInMethods { password providers { id name loginUrl } }\n    }\n  }\n": types.ConsoleSignInMethodsDocument,
    "\n  mutation ConsoleSignIn($input: SigninInput!) {\n    signin(input: $input) { user { id role } }\n  }\n": types.ConsoleSignInDocument,
    "\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n": types.ConsoleUserDetailDocument,
    "\n  mutation ConsoleDetailSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n": types.ConsoleDetailSetRoleDocument,
    "\n  mutation ConsoleUnlockUser($id: ID!) {\n    unlockUser(id: $id) { id lockedUntil failedSignins }\n  }\n": types.ConsoleUnlockUserDocument,
    "\n  mutation ConsoleRevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": types.ConsoleRevokeSessionDocument,
    "\n  mutation ConsoleRevokeAPIKey($id: ID!) {\n    revokeAPIKey(id: $id)\n  }\n": types.ConsoleRevokeApiKeyDocument,
    "\n  mutation ConsoleRemoveUserPaymentMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n": types.ConsoleRemoveUserPaymentMethodDocument,
    "\n  query ConsoleUsers($first: Int, $after: Cursor, $query: String, $where: UserWhereInput, $orderBy: [UserOrder!]) {\n    users(first: $first, after: $after, query: $query, where: $where, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email role createdAt lastActiveAt } }\n    }\n  }\n": types.ConsoleUsersDocument,
    "\n  mutation ConsoleSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n": types.ConsoleSetRoleDocument,
    "\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n": types.ConsoleDeleteUserDocument,
    "\n  mutation ConsoleSetUsersRole($ids: [ID!]!, $role: Role!) {\n    setUsersRole(ids: $ids, role: $role) { id changed code message }\n  }\n": types.ConsoleSetUsersRoleDocument,
    "\n  mutation ConsoleDeleteUsers($ids: [ID!]!) {\n    deleteUsers(ids: $ids) { id deleted code message }\n  }\n": types.ConsoleDeleteUsersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMe {\n    me { id name email role }\n  }\n"): (typeof documents)["\n  query ConsoleMe {\n    me { id name email role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSignOut {\n    signout\n  }\n"): (typeof documents)["\n  mutation ConsoleSignOut {\n    signout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID description actor { email } } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID description actor { email } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID description actor { email } }\n  }\n"): (typeof documents)["\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID description actor { email } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq } }\n  }\n"): (typeof documents)["\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n"): (typeof documents)["\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleGroups {\n    groups(first: 100) {\n      totalCount\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleGroups {\n    groups(first: 100) {\n      totalCount\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) { id name }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateGroup($input: CreateGroupInput!) {\n    createGroup(input: $input) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleAddMembers($groupId: ID!, $userIds: [ID!]!) {\n    addGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n"): (typeof documents)["\n  mutation ConsoleAddMembers($groupId: ID!, $userIds: [ID!]!) {\n    addGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUserByEmail($query: String!) {\n    users(first: 2, query: $query) { edges { node { id email } } }\n  }\n"): (typeof documents)["\n  query ConsoleUserByEmail($query: String!) {\n    users(first: 2, query: $query) { edges { node { id email } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleExplain($userId: ID!, $key: String!) {\n    explainPermission(userId: $userId, key: $key) {\n      key granted known reason\n      sources { kind groupName value }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleExplain($userId: ID!, $key: String!) {\n    explainPermission(userId: $userId, key: $key) {\n      key granted known reason\n      sources { kind groupName value }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleLiveUsage {\n    usageUpdated { userId metric amount used limit remaining percentage }\n  }\n"): (typeof documents)["\n  subscription ConsoleLiveUsage {\n    usageUpdated { userId metric amount used limit remaining percentage }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleQuotaAlerts {\n    quotaAlert { userId metric threshold used limit at }\n  }\n"): (typeof documents)["\n  subscription ConsoleQuotaAlerts {\n    quotaAlert { userId metric threshold used limit at }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleModels {\n    models { id name baseModelID isActive accessControl updatedAt owner { id name email } }\n    groups(first: 100) { edges { node { id name } } }\n  }\n"): (typeof documents)["\n  query ConsoleModels {\n    models { id name baseModelID isActive accessControl updatedAt owner { id name email } }\n    groups(first: 100) { edges { node { id name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateModel($input: CreateModelInput!) {\n    createModel(input: $input) { id }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateModel($input: CreateModelInput!) {\n    createModel(input: $input) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateModel($id: ID!, $input: UpdateModelInput!) {\n    updateModel(id: $id, input: $input) { id name baseModelID isActive accessControl }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdateModel($id: ID!, $input: UpdateModelInput!) {\n    updateModel(id: $id, input: $input) { id name baseModelID isActive accessControl }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteModel($id: ID!) {\n    deleteModel(id: $id)\n  }\n"): (typeof documents)["\n  mutation ConsoleDeleteModel($id: ID!) {\n    deleteModel(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUsersWithAccess($id: ID!) {\n    readers: usersWithAccess(modelId: $id, access: READ) { id name email }\n    writers: usersWithAccess(modelId: $id, access: WRITE) { id name email }\n  }\n"): (typeof documents)["\n  query ConsoleUsersWithAccess($id: ID!) {\n    readers: usersWithAccess(modelId: $id, access: READ) { id name email }\n    writers: usersWithAccess(modelId: $id, access: WRITE) { id name email }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleModelUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n"): (typeof documents)["\n  query ConsoleModelUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleModelUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n"): (typeof documents)["\n  query ConsoleModelUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleTransactions($first: Int, $after: Cursor, $where: TransactionWhereInput) {\n    transactions(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id createdAt status amount refunded currency description provider providerPaymentID userID\n          plan { id name }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleTransactions($first: Int, $after: Cursor, $where: TransactionWhereInput) {\n    transactions(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id createdAt status amount refunded currency description provider providerPaymentID userID\n          plan { id name }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePaymentUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n"): (typeof documents)["\n  query ConsolePaymentUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { id email name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePaymentUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n"): (typeof documents)["\n  query ConsolePaymentUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePaymentMethod($userId: ID!) {\n    paymentMethod(userId: $userId) { type title cardLast4 createdAt }\n  }\n"): (typeof documents)["\n  query ConsolePaymentMethod($userId: ID!) {\n    paymentMethod(userId: $userId) { type title cardLast4 createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsolePaymentsRemoveMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n"): (typeof documents)["\n  mutation ConsolePaymentsRemoveMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRefundPayment($id: ID!, $amount: Decimal, $reason: String!, $effect: RefundEffect!) {\n    refundPayment(id: $id, amount: $amount, reason: $reason, subscriptionEffect: $effect) { id status refunded }\n  }\n"): (typeof documents)["\n  mutation ConsoleRefundPayment($id: ID!, $amount: Decimal, $reason: String!, $effect: RefundEffect!) {\n    refundPayment(id: $id, amount: $amount, reason: $reason, subscriptionEffect: $effect) { id status refunded }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSyncPayment($id: ID!) {\n    syncPayment(id: $id) { id status refunded }\n  }\n"): (typeof documents)["\n  mutation ConsoleSyncPayment($id: ID!) {\n    syncPayment(id: $id) { id status refunded }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePlans {\n    plans(includeInactive: true) {\n      id name price currency interval isActive\n      quotas { metric limit }\n      stats { activeSubscriptions mrr { amount currency } }\n    }\n  }\n"): (typeof documents)["\n  query ConsolePlans {\n    plans(includeInactive: true) {\n      id name price currency interval isActive\n      quotas { metric limit }\n      stats { activeSubscriptions mrr { amount currency } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { id }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleTogglePlan($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n"): (typeof documents)["\n  mutation ConsoleTogglePlan($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDuplicatePlan($id: ID!) {\n    duplicatePlan(id: $id) { id }\n  }\n"): (typeof documents)["\n  mutation ConsoleDuplicatePlan($id: ID!) {\n    duplicatePlan(id: $id) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleAssignPlan($userId: ID!, $planId: ID!, $complimentary: Boolean) {\n    assignPlan(userId: $userId, planId: $planId, complimentary: $complimentary) { id status complimentary }\n  }\n"): (typeof documents)["\n  mutation ConsoleAssignPlan($userId: ID!, $planId: ID!, $complimentary: Boolean) {\n    assignPlan(userId: $userId, planId: $planId, complimentary: $complimentary) { id status complimentary }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePlanUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n"): (typeof documents)["\n  query ConsolePlanUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSignInMethods {\n    appConfig {\n      name\n      signInMethods { password providers { id name loginUrl } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSignInMethods {\n    appConfig {\n      name\n      signInMethods { password providers { id name loginUrl } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSignIn($input: SigninInput!) {\n    signin(input: $input) { user { id role } }\n  }\n"): (typeof documents)["\n  mutation ConsoleSignIn($input: SigninInput!) {\n    signin(input: $input) { user { id role } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n"): (typeof documents)["\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDetailSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n"): (typeof documents)["\n  mutation ConsoleDetailSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUnlockUser($id: ID!) {\n    unlockUser(id: $id) { id lockedUntil failedSignins }\n  }\n"): (typeof documents)["\n  mutation ConsoleUnlockUser($id: ID!) {\n    unlockUser(id: $id) { id lockedUntil failedSignins }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation ConsoleRevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeAPIKey($id: ID!) {\n    revokeAPIKey(id: $id)\n  }\n"): (typeof documents)["\n  mutation ConsoleRevokeAPIKey($id: ID!) {\n    revokeAPIKey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRemoveUserPaymentMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n"): (typeof documents)["\n  mutation ConsoleRemoveUserPaymentMethod($userId: ID!) {\n    removeUserPaymentMethod(userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUsers($first: Int, $after: Cursor, $query: String, $where: UserWhereInput, $orderBy: [UserOrder!]) {\n    users(first: $first, after: $after, query: $query, where: $where, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email role createdAt lastActiveAt } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleUsers($first: Int, $after: Cursor, $query: String, $where: UserWhereInput, $orderBy: [UserOrder!]) {\n    users(first: $first, after: $after, query: $query, where: $where, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email role createdAt lastActiveAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n"): (typeof documents)["\n  mutation ConsoleSetRole($id: ID!, $role: Role!) {\n    updateUser(id: $id, input: { role: $role }) { id role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n"): (typeof documents)["\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSetUsersRole($ids: [ID!]!, $role: Role!) {\n    setUsersRole(ids: $ids, role: $role) { id changed code message }\n  }\n"): (typeof documents)["\n  mutation ConsoleSetUsersRole($ids: [ID!]!, $role: Role!) {\n    setUsersRole(ids: $ids, role: $role) { id changed code message }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteUsers($ids: [ID!]!) {\n    deleteUsers(ids: $ids) { id deleted code message }\n  }\n"): (typeof documents)["\n  mutation ConsoleDeleteUsers($ids: [ID!]!) {\n    deleteUsers(ids: $ids) { id deleted code message }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;