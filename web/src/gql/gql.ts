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
    "\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID actorID description actor { email } } }\n    }\n  }\n": typeof types.ConsoleAuditDocument,
    "\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID actorID description actor { email } }\n  }\n": typeof types.ConsoleAuditTailDocument,
    "\n  query ConsoleAuditActions {\n    __type(name: \"AuditAction\") { enumValues { name } }\n  }\n": typeof types.ConsoleAuditActionsDocument,
    "\n  query ConsoleAuditActor($email: String!) {\n    userByEmail(email: $email) { id }\n  }\n": typeof types.ConsoleAuditActorDocument,
    "\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq action createdAt } }\n  }\n": typeof types.ConsoleVerifyAuditDocument,
    "\n  query ConsoleConfig {\n    config {\n      ui { name defaultLocale }\n      auth { enableSignup defaultUserRole defaultGroupId jwtExpiresIn enableApiKeys showAdminDetails passwordMinLength }\n      rateLimits {\n        enabled\n        signinPerEmail { rate periodSeconds }\n        signinPerIp { rate periodSeconds }\n        signupPerIp { rate periodSeconds }\n        mutationsPerUser { rate periodSeconds }\n        requestsPerIp { rate periodSeconds }\n      }\n      connections { enableDirectConnections enableBaseModelsCache openai { id url keySet enabled modelIds timeoutSeconds } }\n      codeExecution {\n        enableCodeExecution codeExecutionEngine\n        codeExecutionJupyter { url auth tokenSet passwordSet timeout }\n        enableCodeInterpreter codeInterpreterEngine codeInterpreterPromptTemplate\n        codeInterpreterJupyter { url auth tokenSet passwordSet timeout }\n      }\n      models { defaultModels defaultPinnedModels modelOrderList }\n      promptSuggestions { title content }\n      banners { id type title content dismissible timestamp }\n      toolServers { id url path type authType keySet headers config info }\n      oauth {\n        providers {\n          id name issuerUrl clientId clientSecretSet scopes redirectUri usernameClaim emailClaim pictureClaim\n          rolesClaim groupsClaim claimSeparator enableSignup mergeAccountsByEmail allowedDomains roleManagement\n          allowedRoles adminRoles groupManagement groupCreation blockedGroups\n        }\n      }\n      ldap {\n        enabled host port useTls caCertFile validateCert appDn appPasswordSet searchBase searchFilters\n        attributeForUsername attributeForMail groupManagement attributeForGroups groupCreation blockedGroups enableSignup\n      }\n    }\n  }\n": typeof types.ConsoleConfigDocument,
    "\n  query ConsoleConfigGroups {\n    groups(first: 200) { edges { node { id name } } }\n  }\n": typeof types.ConsoleConfigGroupsDocument,
    "mutation ConsoleUpdateUI($input: UIConfigInput!) { updateUIConfig(input: $input) { name } }": typeof types.ConsoleUpdateUiDocument,
    "mutation ConsoleUpdateAuth($input: AuthConfigInput!) { updateAuthConfig(input: $input) { passwordMinLength } }": typeof types.ConsoleUpdateAuthDocument,
    "mutation ConsoleUpdateRateLimits($input: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $input) { enabled } }": typeof types.ConsoleUpdateRateLimitsDocument,
    "mutation ConsoleUpdateConnections($input: ConnectionsConfigInput!) { updateConnectionsConfig(input: $input) { enableDirectConnections } }": typeof types.ConsoleUpdateConnectionsDocument,
    "mutation ConsoleUpdateCodeExecution($input: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $input) { enableCodeExecution } }": typeof types.ConsoleUpdateCodeExecutionDocument,
    "mutation ConsoleUpdateModels($input: ModelsConfigInput!) { updateModelsConfig(input: $input) { defaultModels } }": typeof types.ConsoleUpdateModelsDocument,
    "mutation ConsoleSetSuggestions($suggestions: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $suggestions) { content } }": typeof types.ConsoleSetSuggestionsDocument,
    "mutation ConsoleSetBanners($banners: [BannerInput!]!) { setBanners(banners: $banners) { id } }": typeof types.ConsoleSetBannersDocument,
    "mutation ConsoleSetToolServers($servers: [ToolServerInput!]!) { setToolServers(servers: $servers) { id } }": typeof types.ConsoleSetToolServersDocument,
    "\n  mutation ConsoleVerifyToolServer($input: ToolServerInput!) {\n    verifyToolServer(input: $input) { type name version specVersion operations }\n  }\n": typeof types.ConsoleVerifyToolServerDocument,
    "mutation ConsoleSetOAuth($providers: [OAuthProviderInput!]!) { setOAuthProviders(providers: $providers) { id } }": typeof types.ConsoleSetOAuthDocument,
    "mutation ConsoleSetLDAP($input: LDAPConfigInput!) { setLDAPConfig(input: $input) { enabled } }": typeof types.ConsoleSetLdapDocument,
    "\n  query ConsoleExportConfig($includeSecrets: Boolean) {\n    exportConfig(includeSecrets: $includeSecrets)\n  }\n": typeof types.ConsoleExportConfigDocument,
    "\n  mutation ConsoleImportConfig($config: JSON!, $dryRun: Boolean) {\n    importConfig(config: $config, dryRun: $dryRun) {\n      dryRun ignored\n      changes { section field old new }\n    }\n  }\n": typeof types.ConsoleImportConfigDocument,
    "\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      at\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      trialsEnded trialsConverted trialConversionRate\n      complimentary { subscriptions mrr { amount currency } }\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n      usageByDay { day totals { metric total } }\n      customers {\n        months {\n          month\n          currencies {\n            currency\n            startMrr { amount } endMrr { amount }\n            new { amount } reactivated { amount } expansion { amount } contraction { amount } churned { amount } net { amount }\n            newCustomers reactivatedCustomers expansionCustomers contractionCustomers churnedCustomers\n          }\n        }\n        payingAtEnd { currency customers }\n      }\n    }\n  }\n": typeof types.ConsoleOverviewDocument,
    "\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n": typeof types.ConsoleDashboardUsageDocument,
    "\n  query ConsoleGroupMembers($id: ID!, $first: Int!, $after: Cursor) {\n    group(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name email role } }\n      }\n    }\n  }\n": typeof types.ConsoleGroupMembersDocument,
    "\n  mutation ConsoleRemoveMember($groupId: ID!, $userIds: [ID!]!) {\n    removeGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n": typeof types.ConsoleRemoveMemberDocument,
    "\n  query ConsoleGroups($first: Int!, $after: Cursor) {\n    groups(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n": typeof types.ConsoleGroupsDocument,
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
    "\n  query ConsolePlan($id: ID!, $first: Int!, $after: Cursor, $live: Boolean!) {\n    plan(id: $id) {\n      id name description price currency interval isActive displayOrder trialDays features\n      translations { locale name description }\n      quotas { metric limit }\n      stats { activeSubscriptions canceledSubscriptions totalSubscriptions mrr { amount currency } }\n      subscribers(first: $first, after: $after, live: $live) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          cursor\n          node {\n            subscription { id status complimentary currentPeriodEnd cancelAtPeriodEnd }\n            user { id email name }\n            usage { metrics { metric used limit } }\n          }\n        }\n      }\n    }\n    plans(includeInactive: true) { id name isActive }\n  }\n": typeof types.ConsolePlanDocument,
    "\n  mutation ConsoleUpdatePlan($id: ID!, $input: UpdatePlanInput!) {\n    updatePlan(id: $id, input: $input) { id name }\n  }\n": typeof types.ConsoleUpdatePlanDocument,
    "\n  mutation ConsolePlanToggle($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n": typeof types.ConsolePlanToggleDocument,
    "\n  mutation ConsolePlanDuplicate($id: ID!) {\n    duplicatePlan(id: $id) { id name }\n  }\n": typeof types.ConsolePlanDuplicateDocument,
    "\n  mutation ConsoleMovePreview($from: ID!, $to: ID!, $atPeriodEnd: Boolean!, $dryRun: Boolean!) {\n    moveSubscribers(fromPlanId: $from, toPlanId: $to, atPeriodEnd: $atPeriodEnd, dryRun: $dryRun) {\n      dryRun atPeriodEnd subscriptions\n      mrrChange { amount currency }\n      quotaConflicts { metric limit subscriptions }\n    }\n  }\n": typeof types.ConsoleMovePreviewDocument,
    "\n  query ConsolePlans {\n    plans(includeInactive: true) {\n      id name price currency interval isActive\n      quotas { metric limit }\n      stats { activeSubscriptions mrr { amount currency } }\n    }\n  }\n": typeof types.ConsolePlansDocument,
    "\n  mutation ConsoleCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { id }\n  }\n": typeof types.ConsoleCreatePlanDocument,
    "\n  mutation ConsoleTogglePlan($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n": typeof types.ConsoleTogglePlanDocument,
    "\n  mutation ConsoleDuplicatePlan($id: ID!) {\n    duplicatePlan(id: $id) { id }\n  }\n": typeof types.ConsoleDuplicatePlanDocument,
    "\n  mutation ConsoleAssignPlan($userId: ID!, $planId: ID!, $complimentary: Boolean) {\n    assignPlan(userId: $userId, planId: $planId, complimentary: $complimentary) { id status complimentary }\n  }\n": typeof types.ConsoleAssignPlanDocument,
    "\n  query ConsolePlanUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": typeof types.ConsolePlanUserByEmailDocument,
    "\n  query ConsoleSignInMethods {\n    appConfig {\n      name\n      signInMethods { password providers { id name loginUrl } }\n    }\n  }\n": typeof types.ConsoleSignInMethodsDocument,
    "\n  mutation ConsoleSignIn($input: SigninInput!) {\n    signin(input: $input) { user { id role } }\n  }\n": typeof types.ConsoleSignInDocument,
    "\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins suspendedAt suspensionReason }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n": typeof types.ConsoleUserDetailDocument,
    "\n  mutation ConsoleSuspendUser($id: ID!, $reason: String) {\n    suspendUser(id: $id, reason: $reason) { id suspendedAt suspensionReason }\n  }\n": typeof types.ConsoleSuspendUserDocument,
    "\n  mutation ConsoleReinstateUser($id: ID!) {\n    reinstateUser(id: $id) { id suspendedAt suspensionReason }\n  }\n": typeof types.ConsoleReinstateUserDocument,
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
    "\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID actorID description actor { email } } }\n    }\n  }\n": types.ConsoleAuditDocument,
    "\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID actorID description actor { email } }\n  }\n": types.ConsoleAuditTailDocument,
    "\n  query ConsoleAuditActions {\n    __type(name: \"AuditAction\") { enumValues { name } }\n  }\n": types.ConsoleAuditActionsDocument,
    "\n  query ConsoleAuditActor($email: String!) {\n    userByEmail(email: $email) { id }\n  }\n": types.ConsoleAuditActorDocument,
    "\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq action createdAt } }\n  }\n": types.ConsoleVerifyAuditDocument,
    "\n  query ConsoleConfig {\n    config {\n      ui { name defaultLocale }\n      auth { enableSignup defaultUserRole defaultGroupId jwtExpiresIn enableApiKeys showAdminDetails passwordMinLength }\n      rateLimits {\n        enabled\n        signinPerEmail { rate periodSeconds }\n        signinPerIp { rate periodSeconds }\n        signupPerIp { rate periodSeconds }\n        mutationsPerUser { rate periodSeconds }\n        requestsPerIp { rate periodSeconds }\n      }\n      connections { enableDirectConnections enableBaseModelsCache openai { id url keySet enabled modelIds timeoutSeconds } }\n      codeExecution {\n        enableCodeExecution codeExecutionEngine\n        codeExecutionJupyter { url auth tokenSet passwordSet timeout }\n        enableCodeInterpreter codeInterpreterEngine codeInterpreterPromptTemplate\n        codeInterpreterJupyter { url auth tokenSet passwordSet timeout }\n      }\n      models { defaultModels defaultPinnedModels modelOrderList }\n      promptSuggestions { title content }\n      banners { id type title content dismissible timestamp }\n      toolServers { id url path type authType keySet headers config info }\n      oauth {\n        providers {\n          id name issuerUrl clientId clientSecretSet scopes redirectUri usernameClaim emailClaim pictureClaim\n          rolesClaim groupsClaim claimSeparator enableSignup mergeAccountsByEmail allowedDomains roleManagement\n          allowedRoles adminRoles groupManagement groupCreation blockedGroups\n        }\n      }\n      ldap {\n        enabled host port useTls caCertFile validateCert appDn appPasswordSet searchBase searchFilters\n        attributeForUsername attributeForMail groupManagement attributeForGroups groupCreation blockedGroups enableSignup\n      }\n    }\n  }\n": types.ConsoleConfigDocument,
    "\n  query ConsoleConfigGroups {\n    groups(first: 200) { edges { node { id name } } }\n  }\n": types.ConsoleConfigGroupsDocument,
    "mutation ConsoleUpdateUI($input: UIConfigInput!) { updateUIConfig(input: $input) { name } }": types.ConsoleUpdateUiDocument,
    "mutation ConsoleUpdateAuth($input: AuthConfigInput!) { updateAuthConfig(input: $input) { passwordMinLength } }": types.ConsoleUpdateAuthDocument,
    "mutation ConsoleUpdateRateLimits($input: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $input) { enabled } }": types.ConsoleUpdateRateLimitsDocument,
    "mutation ConsoleUpdateConnections($input: ConnectionsConfigInput!) { updateConnectionsConfig(input: $input) { enableDirectConnections } }": types.ConsoleUpdateConnectionsDocument,
    "mutation ConsoleUpdateCodeExecution($input: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $input) { enableCodeExecution } }": types.ConsoleUpdateCodeExecutionDocument,
    "mutation ConsoleUpdateModels($input: ModelsConfigInput!) { updateModelsConfig(input: $input) { defaultModels } }": types.ConsoleUpdateModelsDocument,
    "mutation ConsoleSetSuggestions($suggestions: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $suggestions) { content } }": types.ConsoleSetSuggestionsDocument,
    "mutation ConsoleSetBanners($banners: [BannerInput!]!) { setBanners(banners: $banners) { id } }": types.ConsoleSetBannersDocument,
    "mutation ConsoleSetToolServers($servers: [ToolServerInput!]!) { setToolServers(servers: $servers) { id } }": types.ConsoleSetToolServersDocument,
    "\n  mutation ConsoleVerifyToolServer($input: ToolServerInput!) {\n    verifyToolServer(input: $input) { type name version specVersion operations }\n  }\n": types.ConsoleVerifyToolServerDocument,
    "mutation ConsoleSetOAuth($providers: [OAuthProviderInput!]!) { setOAuthProviders(providers: $providers) { id } }": types.ConsoleSetOAuthDocument,
    "mutation ConsoleSetLDAP($input: LDAPConfigInput!) { setLDAPConfig(input: $input) { enabled } }": types.ConsoleSetLdapDocument,
    "\n  query ConsoleExportConfig($includeSecrets: Boolean) {\n    exportConfig(includeSecrets: $includeSecrets)\n  }\n": types.ConsoleExportConfigDocument,
    "\n  mutation ConsoleImportConfig($config: JSON!, $dryRun: Boolean) {\n    importConfig(config: $config, dryRun: $dryRun) {\n      dryRun ignored\n      changes { section field old new }\n    }\n  }\n": types.ConsoleImportConfigDocument,
    "\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      at\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      trialsEnded trialsConverted trialConversionRate\n      complimentary { subscriptions mrr { amount currency } }\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n      usageByDay { day totals { metric total } }\n      customers {\n        months {\n          month\n          currencies {\n            currency\n            startMrr { amount } endMrr { amount }\n            new { amount } reactivated { amount } expansion { amount } contraction { amount } churned { amount } net { amount }\n            newCustomers reactivatedCustomers expansionCustomers contractionCustomers churnedCustomers\n          }\n        }\n        payingAtEnd { currency customers }\n      }\n    }\n  }\n": types.ConsoleOverviewDocument,
    "\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n": types.ConsoleDashboardUsageDocument,
    "\n  query ConsoleGroupMembers($id: ID!, $first: Int!, $after: Cursor) {\n    group(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name email role } }\n      }\n    }\n  }\n": types.ConsoleGroupMembersDocument,
    "\n  mutation ConsoleRemoveMember($groupId: ID!, $userIds: [ID!]!) {\n    removeGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n": types.ConsoleRemoveMemberDocument,
    "\n  query ConsoleGroups($first: Int!, $after: Cursor) {\n    groups(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n": types.ConsoleGroupsDocument,
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
    "\n  query ConsolePlan($id: ID!, $first: Int!, $after: Cursor, $live: Boolean!) {\n    plan(id: $id) {\n      id name description price currency interval isActive displayOrder trialDays features\n      translations { locale name description }\n      quotas { metric limit }\n      stats { activeSubscriptions canceledSubscriptions totalSubscriptions mrr { amount currency } }\n      subscribers(first: $first, after: $after, live: $live) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          cursor\n          node {\n            subscription { id status complimentary currentPeriodEnd cancelAtPeriodEnd }\n            user { id email name }\n            usage { metrics { metric used limit } }\n          }\n        }\n      }\n    }\n    plans(includeInactive: true) { id name isActive }\n  }\n": types.ConsolePlanDocument,
    "\n  mutation ConsoleUpdatePlan($id: ID!, $input: UpdatePlanInput!) {\n    updatePlan(id: $id, input: $input) { id name }\n  }\n": types.ConsoleUpdatePlanDocument,
    "\n  mutation ConsolePlanToggle($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n": types.ConsolePlanToggleDocument,
    "\n  mutation ConsolePlanDuplicate($id: ID!) {\n    duplicatePlan(id: $id) { id name }\n  }\n": types.ConsolePlanDuplicateDocument,
    "\n  mutation ConsoleMovePreview($from: ID!, $to: ID!, $atPeriodEnd: Boolean!, $dryRun: Boolean!) {\n    moveSubscribers(fromPlanId: $from, toPlanId: $to, atPeriodEnd: $atPeriodEnd, dryRun: $dryRun) {\n      dryRun atPeriodEnd subscriptions\n      mrrChange { amount currency }\n      quotaConflicts { metric limit subscriptions }\n    }\n  }\n": types.ConsoleMovePreviewDocument,
    "\n  query ConsolePlans {\n    plans(includeInactive: true) {\n      id name price currency interval isActive\n      quotas { metric limit }\n      stats { activeSubscriptions mrr { amount currency } }\n    }\n  }\n": types.ConsolePlansDocument,
    "\n  mutation ConsoleCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) { id }\n  }\n": types.ConsoleCreatePlanDocument,
    "\n  mutation ConsoleTogglePlan($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n": types.ConsoleTogglePlanDocument,
    "\n  mutation ConsoleDuplicatePlan($id: ID!) {\n    duplicatePlan(id: $id) { id }\n  }\n": types.ConsoleDuplicatePlanDocument,
    "\n  mutation ConsoleAssignPlan($userId: ID!, $planId: ID!, $complimentary: Boolean) {\n    assignPlan(userId: $userId, planId: $planId, complimentary: $complimentary) { id status complimentary }\n  }\n": types.ConsoleAssignPlanDocument,
    "\n  query ConsolePlanUserByEmail($email: String!) {\n    userByEmail(email: $email) { id email }\n  }\n": types.ConsolePlanUserByEmailDocument,
    "\n  query ConsoleSignInMethods {\n    appConfig {\n      name\n      signInMethods { password providers { id name loginUrl } }\n    }\n  }\n": types.ConsoleSignInMethodsDocument,
    "\n  mutation ConsoleSignIn($input: SigninInput!) {\n    signin(input: $input) { user { id role } }\n  }\n": types.ConsoleSignInDocument,
    "\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins suspendedAt suspensionReason }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n": types.ConsoleUserDetailDocument,
    "\n  mutation ConsoleSuspendUser($id: ID!, $reason: String) {\n    suspendUser(id: $id, reason: $reason) { id suspendedAt suspensionReason }\n  }\n": types.ConsoleSuspendUserDocument,
    "\n  mutation ConsoleReinstateUser($id: ID!) {\n    reinstateUser(id: $id) { id suspendedAt suspensionReason }\n  }\n": types.ConsoleReinstateUserDocument,
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
export function graphql(source: "\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID actorID description actor { email } } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {\n    auditLogs(first: $first, after: $after, where: $where) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id seq createdAt action entityType entityID actorID description actor { email } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID actorID description actor { email } }\n  }\n"): (typeof documents)["\n  subscription ConsoleAuditTail {\n    auditLogAdded { id seq createdAt action entityType entityID actorID description actor { email } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditActions {\n    __type(name: \"AuditAction\") { enumValues { name } }\n  }\n"): (typeof documents)["\n  query ConsoleAuditActions {\n    __type(name: \"AuditAction\") { enumValues { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditActor($email: String!) {\n    userByEmail(email: $email) { id }\n  }\n"): (typeof documents)["\n  query ConsoleAuditActor($email: String!) {\n    userByEmail(email: $email) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq action createdAt } }\n  }\n"): (typeof documents)["\n  query ConsoleVerifyAudit {\n    verifyAuditChain { intact checked reason firstBroken { seq action createdAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleConfig {\n    config {\n      ui { name defaultLocale }\n      auth { enableSignup defaultUserRole defaultGroupId jwtExpiresIn enableApiKeys showAdminDetails passwordMinLength }\n      rateLimits {\n        enabled\n        signinPerEmail { rate periodSeconds }\n        signinPerIp { rate periodSeconds }\n        signupPerIp { rate periodSeconds }\n        mutationsPerUser { rate periodSeconds }\n        requestsPerIp { rate periodSeconds }\n      }\n      connections { enableDirectConnections enableBaseModelsCache openai { id url keySet enabled modelIds timeoutSeconds } }\n      codeExecution {\n        enableCodeExecution codeExecutionEngine\n        codeExecutionJupyter { url auth tokenSet passwordSet timeout }\n        enableCodeInterpreter codeInterpreterEngine codeInterpreterPromptTemplate\n        codeInterpreterJupyter { url auth tokenSet passwordSet timeout }\n      }\n      models { defaultModels defaultPinnedModels modelOrderList }\n      promptSuggestions { title content }\n      banners { id type title content dismissible timestamp }\n      toolServers { id url path type authType keySet headers config info }\n      oauth {\n        providers {\n          id name issuerUrl clientId clientSecretSet scopes redirectUri usernameClaim emailClaim pictureClaim\n          rolesClaim groupsClaim claimSeparator enableSignup mergeAccountsByEmail allowedDomains roleManagement\n          allowedRoles adminRoles groupManagement groupCreation blockedGroups\n        }\n      }\n      ldap {\n        enabled host port useTls caCertFile validateCert appDn appPasswordSet searchBase searchFilters\n        attributeForUsername attributeForMail groupManagement attributeForGroups groupCreation blockedGroups enableSignup\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleConfig {\n    config {\n      ui { name defaultLocale }\n      auth { enableSignup defaultUserRole defaultGroupId jwtExpiresIn enableApiKeys showAdminDetails passwordMinLength }\n      rateLimits {\n        enabled\n        signinPerEmail { rate periodSeconds }\n        signinPerIp { rate periodSeconds }\n        signupPerIp { rate periodSeconds }\n        mutationsPerUser { rate periodSeconds }\n        requestsPerIp { rate periodSeconds }\n      }\n      connections { enableDirectConnections enableBaseModelsCache openai { id url keySet enabled modelIds timeoutSeconds } }\n      codeExecution {\n        enableCodeExecution codeExecutionEngine\n        codeExecutionJupyter { url auth tokenSet passwordSet timeout }\n        enableCodeInterpreter codeInterpreterEngine codeInterpreterPromptTemplate\n        codeInterpreterJupyter { url auth tokenSet passwordSet timeout }\n      }\n      models { defaultModels defaultPinnedModels modelOrderList }\n      promptSuggestions { title content }\n      banners { id type title content dismissible timestamp }\n      toolServers { id url path type authType keySet headers config info }\n      oauth {\n        providers {\n          id name issuerUrl clientId clientSecretSet scopes redirectUri usernameClaim emailClaim pictureClaim\n          rolesClaim groupsClaim claimSeparator enableSignup mergeAccountsByEmail allowedDomains roleManagement\n          allowedRoles adminRoles groupManagement groupCreation blockedGroups\n        }\n      }\n      ldap {\n        enabled host port useTls caCertFile validateCert appDn appPasswordSet searchBase searchFilters\n        attributeForUsername attributeForMail groupManagement attributeForGroups groupCreation blockedGroups enableSignup\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleConfigGroups {\n    groups(first: 200) { edges { node { id name } } }\n  }\n"): (typeof documents)["\n  query ConsoleConfigGroups {\n    groups(first: 200) { edges { node { id name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleUpdateUI($input: UIConfigInput!) { updateUIConfig(input: $input) { name } }"): (typeof documents)["mutation ConsoleUpdateUI($input: UIConfigInput!) { updateUIConfig(input: $input) { name } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleUpdateAuth($input: AuthConfigInput!) { updateAuthConfig(input: $input) { passwordMinLength } }"): (typeof documents)["mutation ConsoleUpdateAuth($input: AuthConfigInput!) { updateAuthConfig(input: $input) { passwordMinLength } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleUpdateRateLimits($input: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $input) { enabled } }"): (typeof documents)["mutation ConsoleUpdateRateLimits($input: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $input) { enabled } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleUpdateConnections($input: ConnectionsConfigInput!) { updateConnectionsConfig(input: $input) { enableDirectConnections } }"): (typeof documents)["mutation ConsoleUpdateConnections($input: ConnectionsConfigInput!) { updateConnectionsConfig(input: $input) { enableDirectConnections } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleUpdateCodeExecution($input: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $input) { enableCodeExecution } }"): (typeof documents)["mutation ConsoleUpdateCodeExecution($input: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $input) { enableCodeExecution } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleUpdateModels($input: ModelsConfigInput!) { updateModelsConfig(input: $input) { defaultModels } }"): (typeof documents)["mutation ConsoleUpdateModels($input: ModelsConfigInput!) { updateModelsConfig(input: $input) { defaultModels } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleSetSuggestions($suggestions: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $suggestions) { content } }"): (typeof documents)["mutation ConsoleSetSuggestions($suggestions: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $suggestions) { content } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleSetBanners($banners: [BannerInput!]!) { setBanners(banners: $banners) { id } }"): (typeof documents)["mutation ConsoleSetBanners($banners: [BannerInput!]!) { setBanners(banners: $banners) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleSetToolServers($servers: [ToolServerInput!]!) { setToolServers(servers: $servers) { id } }"): (typeof documents)["mutation ConsoleSetToolServers($servers: [ToolServerInput!]!) { setToolServers(servers: $servers) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleVerifyToolServer($input: ToolServerInput!) {\n    verifyToolServer(input: $input) { type name version specVersion operations }\n  }\n"): (typeof documents)["\n  mutation ConsoleVerifyToolServer($input: ToolServerInput!) {\n    verifyToolServer(input: $input) { type name version specVersion operations }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleSetOAuth($providers: [OAuthProviderInput!]!) { setOAuthProviders(providers: $providers) { id } }"): (typeof documents)["mutation ConsoleSetOAuth($providers: [OAuthProviderInput!]!) { setOAuthProviders(providers: $providers) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleSetLDAP($input: LDAPConfigInput!) { setLDAPConfig(input: $input) { enabled } }"): (typeof documents)["mutation ConsoleSetLDAP($input: LDAPConfigInput!) { setLDAPConfig(input: $input) { enabled } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleExportConfig($includeSecrets: Boolean) {\n    exportConfig(includeSecrets: $includeSecrets)\n  }\n"): (typeof documents)["\n  query ConsoleExportConfig($includeSecrets: Boolean) {\n    exportConfig(includeSecrets: $includeSecrets)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleImportConfig($config: JSON!, $dryRun: Boolean) {\n    importConfig(config: $config, dryRun: $dryRun) {\n      dryRun ignored\n      changes { section field old new }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleImportConfig($config: JSON!, $dryRun: Boolean) {\n    importConfig(config: $config, dryRun: $dryRun) {\n      dryRun ignored\n      changes { section field old new }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      at\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      trialsEnded trialsConverted trialConversionRate\n      complimentary { subscriptions mrr { amount currency } }\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n      usageByDay { day totals { metric total } }\n      customers {\n        months {\n          month\n          currencies {\n            currency\n            startMrr { amount } endMrr { amount }\n            new { amount } reactivated { amount } expansion { amount } contraction { amount } churned { amount } net { amount }\n            newCustomers reactivatedCustomers expansionCustomers contractionCustomers churnedCustomers\n          }\n        }\n        payingAtEnd { currency customers }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleOverview($from: Time!, $to: Time!) {\n    billingOverview(from: $from, to: $to) {\n      at\n      mrr { amount currency }\n      arr { amount currency }\n      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate\n      trialsEnded trialsConverted trialConversionRate\n      complimentary { subscriptions mrr { amount currency } }\n      revenue { amount currency }\n      revenueByMonth { month amounts { amount currency } }\n      usage { metric total }\n      usageByDay { day totals { metric total } }\n      customers {\n        months {\n          month\n          currencies {\n            currency\n            startMrr { amount } endMrr { amount }\n            new { amount } reactivated { amount } expansion { amount } contraction { amount } churned { amount } net { amount }\n            newCustomers reactivatedCustomers expansionCustomers contractionCustomers churnedCustomers\n          }\n        }\n        payingAtEnd { currency customers }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n"): (typeof documents)["\n  subscription ConsoleDashboardUsage {\n    usageUpdated { userId metric amount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleGroupMembers($id: ID!, $first: Int!, $after: Cursor) {\n    group(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name email role } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleGroupMembers($id: ID!, $first: Int!, $after: Cursor) {\n    group(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name email role } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRemoveMember($groupId: ID!, $userIds: [ID!]!) {\n    removeGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n"): (typeof documents)["\n  mutation ConsoleRemoveMember($groupId: ID!, $userIds: [ID!]!) {\n    removeGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleGroups($first: Int!, $after: Cursor) {\n    groups(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleGroups($first: Int!, $after: Cursor) {\n    groups(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name description memberCount deniedPermissions permissions } }\n    }\n  }\n"];
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
export function graphql(source: "\n  query ConsolePlan($id: ID!, $first: Int!, $after: Cursor, $live: Boolean!) {\n    plan(id: $id) {\n      id name description price currency interval isActive displayOrder trialDays features\n      translations { locale name description }\n      quotas { metric limit }\n      stats { activeSubscriptions canceledSubscriptions totalSubscriptions mrr { amount currency } }\n      subscribers(first: $first, after: $after, live: $live) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          cursor\n          node {\n            subscription { id status complimentary currentPeriodEnd cancelAtPeriodEnd }\n            user { id email name }\n            usage { metrics { metric used limit } }\n          }\n        }\n      }\n    }\n    plans(includeInactive: true) { id name isActive }\n  }\n"): (typeof documents)["\n  query ConsolePlan($id: ID!, $first: Int!, $after: Cursor, $live: Boolean!) {\n    plan(id: $id) {\n      id name description price currency interval isActive displayOrder trialDays features\n      translations { locale name description }\n      quotas { metric limit }\n      stats { activeSubscriptions canceledSubscriptions totalSubscriptions mrr { amount currency } }\n      subscribers(first: $first, after: $after, live: $live) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          cursor\n          node {\n            subscription { id status complimentary currentPeriodEnd cancelAtPeriodEnd }\n            user { id email name }\n            usage { metrics { metric used limit } }\n          }\n        }\n      }\n    }\n    plans(includeInactive: true) { id name isActive }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdatePlan($id: ID!, $input: UpdatePlanInput!) {\n    updatePlan(id: $id, input: $input) { id name }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdatePlan($id: ID!, $input: UpdatePlanInput!) {\n    updatePlan(id: $id, input: $input) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsolePlanToggle($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n"): (typeof documents)["\n  mutation ConsolePlanToggle($id: ID!) {\n    togglePlan(id: $id) { id isActive }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsolePlanDuplicate($id: ID!) {\n    duplicatePlan(id: $id) { id name }\n  }\n"): (typeof documents)["\n  mutation ConsolePlanDuplicate($id: ID!) {\n    duplicatePlan(id: $id) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleMovePreview($from: ID!, $to: ID!, $atPeriodEnd: Boolean!, $dryRun: Boolean!) {\n    moveSubscribers(fromPlanId: $from, toPlanId: $to, atPeriodEnd: $atPeriodEnd, dryRun: $dryRun) {\n      dryRun atPeriodEnd subscriptions\n      mrrChange { amount currency }\n      quotaConflicts { metric limit subscriptions }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleMovePreview($from: ID!, $to: ID!, $atPeriodEnd: Boolean!, $dryRun: Boolean!) {\n    moveSubscribers(fromPlanId: $from, toPlanId: $to, atPeriodEnd: $atPeriodEnd, dryRun: $dryRun) {\n      dryRun atPeriodEnd subscriptions\n      mrrChange { amount currency }\n      quotaConflicts { metric limit subscriptions }\n    }\n  }\n"];
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
export function graphql(source: "\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins suspendedAt suspensionReason }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n"): (typeof documents)["\n  query ConsoleUserDetail($id: ID!) {\n    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins suspendedAt suspensionReason }\n    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }\n    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }\n    paymentMethod(userId: $id) { type title cardLast4 createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSuspendUser($id: ID!, $reason: String) {\n    suspendUser(id: $id, reason: $reason) { id suspendedAt suspensionReason }\n  }\n"): (typeof documents)["\n  mutation ConsoleSuspendUser($id: ID!, $reason: String) {\n    suspendUser(id: $id, reason: $reason) { id suspendedAt suspensionReason }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleReinstateUser($id: ID!) {\n    reinstateUser(id: $id) { id suspendedAt suspensionReason }\n  }\n"): (typeof documents)["\n  mutation ConsoleReinstateUser($id: ID!) {\n    reinstateUser(id: $id) { id suspendedAt suspensionReason }\n  }\n"];
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