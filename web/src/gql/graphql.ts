/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What an audit entry records. */
export type AuditAction =
  | 'API_KEY_REVOKED'
  | 'CONFIG_UPDATED'
  /** One steward import-openwebui run; changes hold the counts per table. */
  | 'DATA_IMPORTED'
  | 'DEFAULT_PERMISSIONS_UPDATED'
  | 'EXTERNAL_SIGNIN'
  | 'EXTERNAL_SIGNIN_REFUSED'
  | 'GROUPS_SYNCED'
  | 'GROUP_CREATED'
  | 'GROUP_DELETED'
  | 'GROUP_MEMBERS_ADDED'
  | 'GROUP_MEMBERS_REMOVED'
  | 'GROUP_UPDATED'
  | 'IDENTITY_LINKED'
  /** An entry of the Open WebUI billing fork's audit log, carried over by the import; changes hold its original actor, action, entity and time. */
  | 'IMPORTED_AUDIT_ENTRY'
  | 'MODEL_CREATED'
  | 'MODEL_DELETED'
  | 'MODEL_UPDATED'
  | 'PAYMENT_CANCELED'
  | 'PAYMENT_FAILED'
  | 'PAYMENT_METHOD_REMOVED'
  | 'PAYMENT_METHOD_SAVED'
  | 'PAYMENT_REFUNDED'
  | 'PAYMENT_SUCCEEDED'
  | 'PLAN_ACTIVATED'
  | 'PLAN_CREATED'
  | 'PLAN_DEACTIVATED'
  | 'PLAN_DELETED'
  | 'PLAN_DUPLICATED'
  | 'PLAN_UPDATED'
  | 'PROVIDER_LOGOUT'
  | 'RENEWAL_CHARGED'
  | 'SESSION_REVOKED'
  | 'SUBSCRIPTION_ASSIGNED'
  | 'SUBSCRIPTION_CANCELED'
  | 'SUBSCRIPTION_RENEWED'
  | 'USER_CREATED'
  | 'USER_DELETED'
  | 'USER_REINSTATED'
  | 'USER_ROLE_CHANGED'
  | 'USER_SUSPENDED'
  | 'USER_UNLOCKED'
  | 'USER_UPDATED';

/** Filters of auditLogs; all given filters must match. */
export type AuditLogWhere = {
  action?: AuditAction | null | undefined;
  createdAtGTE?: string | null | undefined;
  createdAtLT?: string | null | undefined;
  entityId?: string | null | undefined;
  entityType?: string | null | undefined;
  /** The actor's user id. */
  userId?: string | null | undefined;
};

export type AuthConfigInput = {
  /** An existing group's id, or an empty string for none. */
  defaultGroupId?: string | null | undefined;
  defaultUserRole?: Role | null | undefined;
  enableApiKeys?: boolean | null | undefined;
  enableSignup?: boolean | null | undefined;
  jwtExpiresIn?: string | null | undefined;
  passwordMinLength?: number | null | undefined;
  showAdminDetails?: boolean | null | undefined;
};

export type BannerInput = {
  content: string;
  /** Default true. */
  dismissible?: boolean | null | undefined;
  /** Omitted: a new id (a banner with a new id shows again to users who dismissed the old one). */
  id?: string | null | undefined;
  /** Default now. */
  timestamp?: string | null | undefined;
  title?: string | null | undefined;
  type: BannerType;
};

export type BannerType =
  | 'ERROR'
  | 'INFO'
  | 'SUCCESS'
  | 'WARNING';

/** BillingInterval is enum for the field interval */
export type BillingInterval =
  | 'DAY'
  | 'MONTH'
  | 'WEEK'
  | 'YEAR';

export type CodeEngine =
  | 'JUPYTER'
  | 'PYODIDE';

export type CodeExecutionConfigInput = {
  codeExecutionEngine?: CodeEngine | null | undefined;
  codeExecutionJupyter?: JupyterConfigInput | null | undefined;
  codeInterpreterEngine?: CodeEngine | null | undefined;
  codeInterpreterJupyter?: JupyterConfigInput | null | undefined;
  codeInterpreterPromptTemplate?: string | null | undefined;
  enableCodeExecution?: boolean | null | undefined;
  enableCodeInterpreter?: boolean | null | undefined;
};

export type ConnectionsConfigInput = {
  enableBaseModelsCache?: boolean | null | undefined;
  enableDirectConnections?: boolean | null | undefined;
  /** Replaces the upstreams. A connection given without a key keeps the stored key of its id. */
  openai?: Array<OpenAiConnectionInput> | null | undefined;
};

export type CreateGroupInput = {
  /** Dotted permission keys this group takes away from its members, over every grant. */
  deniedPermissions?: Array<string> | null | undefined;
  description?: string | null | undefined;
  name: string;
  /** A partial permission tree; only true leaves grant. Unknown keys are BAD_USER_INPUT. */
  permissions?: unknown;
};

export type CreateModelInput = {
  /**
   * null or absent: public (every verified user reads, the owner and admins write). Otherwise
   * {read: {group_ids, user_ids}, write: {group_ids, user_ids}}; write implies read.
   */
  accessControl?: unknown;
  baseModelId?: string | null | undefined;
  /** The model's id at the provider, e.g. "llama3". */
  id: string;
  isActive?: boolean | null | undefined;
  meta?: unknown;
  name: string;
  params?: unknown;
};

export type CreatePlanInput = {
  /** ISO 4217 code, e.g. RUB, USD, EUR. */
  currency: string;
  description?: string | null | undefined;
  /** At least 0; 0 when absent. */
  displayOrder?: number | null | undefined;
  features?: Array<string> | null | undefined;
  /** A readable id (letters, digits, '.', '_', '-'); generated from the name when absent. */
  id?: string | null | undefined;
  /** MONTH when absent. */
  interval?: BillingInterval | null | undefined;
  /** true when absent. */
  isActive?: boolean | null | undefined;
  metadata?: unknown;
  name: string;
  /** At least 0, with no more fraction digits than the currency has. */
  price: string;
  quotas?: Array<PlanQuotaInput> | null | undefined;
  translations?: Array<PlanTranslationInput> | null | undefined;
  /** Days of free trial a self-serve subscriber gets once (0 or absent: none; at most 366). */
  trialDays?: number | null | undefined;
};

/**
 * GroupWhereInput is used for filtering Group objects.
 * Input was generated by ent.
 */
export type GroupWhereInput = {
  and?: Array<GroupWhereInput> | null | undefined;
  /** created_at field predicates */
  createdAt?: string | null | undefined;
  createdAtGT?: string | null | undefined;
  createdAtGTE?: string | null | undefined;
  createdAtIn?: Array<string> | null | undefined;
  createdAtLT?: string | null | undefined;
  createdAtLTE?: string | null | undefined;
  createdAtNEQ?: string | null | undefined;
  createdAtNotIn?: Array<string> | null | undefined;
  /** description field predicates */
  description?: string | null | undefined;
  descriptionContains?: string | null | undefined;
  descriptionContainsFold?: string | null | undefined;
  descriptionEqualFold?: string | null | undefined;
  descriptionGT?: string | null | undefined;
  descriptionGTE?: string | null | undefined;
  descriptionHasPrefix?: string | null | undefined;
  descriptionHasSuffix?: string | null | undefined;
  descriptionIn?: Array<string> | null | undefined;
  descriptionLT?: string | null | undefined;
  descriptionLTE?: string | null | undefined;
  descriptionNEQ?: string | null | undefined;
  descriptionNotIn?: Array<string> | null | undefined;
  /** id field predicates */
  id?: string | null | undefined;
  idContainsFold?: string | null | undefined;
  idEqualFold?: string | null | undefined;
  idGT?: string | null | undefined;
  idGTE?: string | null | undefined;
  idIn?: Array<string> | null | undefined;
  idLT?: string | null | undefined;
  idLTE?: string | null | undefined;
  idNEQ?: string | null | undefined;
  idNotIn?: Array<string> | null | undefined;
  /** name field predicates */
  name?: string | null | undefined;
  nameContains?: string | null | undefined;
  nameContainsFold?: string | null | undefined;
  nameEqualFold?: string | null | undefined;
  nameGT?: string | null | undefined;
  nameGTE?: string | null | undefined;
  nameHasPrefix?: string | null | undefined;
  nameHasSuffix?: string | null | undefined;
  nameIn?: Array<string> | null | undefined;
  nameLT?: string | null | undefined;
  nameLTE?: string | null | undefined;
  nameNEQ?: string | null | undefined;
  nameNotIn?: Array<string> | null | undefined;
  not?: GroupWhereInput | null | undefined;
  or?: Array<GroupWhereInput> | null | undefined;
  /** updated_at field predicates */
  updatedAt?: string | null | undefined;
  updatedAtGT?: string | null | undefined;
  updatedAtGTE?: string | null | undefined;
  updatedAtIn?: Array<string> | null | undefined;
  updatedAtLT?: string | null | undefined;
  updatedAtLTE?: string | null | undefined;
  updatedAtNEQ?: string | null | undefined;
  updatedAtNotIn?: Array<string> | null | undefined;
};

export type JupyterAuth =
  | 'NONE'
  | 'PASSWORD'
  | 'TOKEN';

export type JupyterConfigInput = {
  auth?: JupyterAuth | null | undefined;
  /** Write-only. Null or omitted keeps the stored password; an empty string removes it. */
  password?: string | null | undefined;
  timeout?: number | null | undefined;
  /** Write-only. Null or omitted keeps the stored token; an empty string removes it. */
  token?: string | null | undefined;
  url?: string | null | undefined;
};

export type LdapConfigInput = {
  appDn: string;
  /** Omit to keep the stored password. */
  appPassword?: string | null | undefined;
  attributeForGroups: string;
  attributeForMail: string;
  attributeForUsername: string;
  blockedGroups: Array<string>;
  caCertFile?: string | null | undefined;
  enableSignup: boolean;
  enabled: boolean;
  groupCreation: boolean;
  groupManagement: boolean;
  host: string;
  port: number;
  searchBase: string;
  searchFilters?: string | null | undefined;
  useTls: boolean;
  validateCert: boolean;
};

export type ModelsConfigInput = {
  defaultModels?: Array<string> | null | undefined;
  defaultPinnedModels?: Array<string> | null | undefined;
  modelOrderList?: Array<string> | null | undefined;
};

export type OAuthProviderInput = {
  adminRoles: Array<string>;
  allowedDomains: Array<string>;
  allowedRoles: Array<string>;
  blockedGroups: Array<string>;
  claimSeparator: string;
  clientId: string;
  /** Omit to keep the stored secret of the provider with this id. */
  clientSecret?: string | null | undefined;
  emailClaim: string;
  enableSignup: boolean;
  groupCreation: boolean;
  groupManagement: boolean;
  groupsClaim: string;
  id: string;
  issuerUrl: string;
  mergeAccountsByEmail: boolean;
  name: string;
  pictureClaim: string;
  redirectUri?: string | null | undefined;
  roleManagement: boolean;
  rolesClaim: string;
  scopes: Array<string>;
  usernameClaim: string;
};

export type OpenAiConnectionInput = {
  /** Default true. */
  enabled?: boolean | null | undefined;
  /** Keep an existing connection's id to keep its stored key; omitted, it is openai-<position>. */
  id?: string | null | undefined;
  /** Write-only. Null or omitted keeps the stored key; an empty string removes it. */
  key?: string | null | undefined;
  modelIds?: Array<string> | null | undefined;
  timeoutSeconds?: number | null | undefined;
  url: string;
};

/** Possible directions in which to order a list of items when provided an `orderBy` argument. */
export type OrderDirection =
  /** Specifies an ascending order for a given `orderBy` argument. */
  | 'ASC'
  /** Specifies a descending order for a given `orderBy` argument. */
  | 'DESC';

export type PermissionSourceKind =
  | 'ADMIN_ROLE'
  | 'DEFAULT'
  | 'GROUP_DENY'
  | 'GROUP_GRANT';

export type PlanQuotaInput = {
  /** At least 0; 0 blocks the metric. */
  limit: number;
  metric: UsageMetric;
};

export type PlanTranslationInput = {
  description?: string | null | undefined;
  locale: string;
  name?: string | null | undefined;
};

export type PromptSuggestionInput = {
  content: string;
  title: Array<string>;
};

export type RateLimitsConfigInput = {
  enabled?: boolean | null | undefined;
  mutationsPerUser?: RateRuleInput | null | undefined;
  requestsPerIp?: RateRuleInput | null | undefined;
  signinPerEmail?: RateRuleInput | null | undefined;
  signinPerIp?: RateRuleInput | null | undefined;
  signupPerIp?: RateRuleInput | null | undefined;
};

export type RateRuleInput = {
  periodSeconds?: number | null | undefined;
  rate?: number | null | undefined;
};

/** What a refund does to the subscription the payment bought. */
export type RefundEffect =
  /** Let it run to the end of its period, then end. */
  | 'END_AT_PERIOD_END'
  /** End it now. */
  | 'END_NOW'
  /** Leave it as it is. */
  | 'KEEP';

/** Role is enum for the field role */
export type Role =
  | 'ADMIN'
  | 'PENDING'
  | 'USER';

export type SigninInput = {
  email: string;
  password: string;
};

/** SubscriptionStatus is enum for the field status */
export type SubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELED'
  | 'PAST_DUE'
  | 'PAUSED'
  | 'TRIALING';

export type ToolServerAuthType =
  | 'BEARER'
  | 'NONE'
  | 'OAUTH21'
  | 'SESSION'
  | 'SYSTEM_OAUTH';

export type ToolServerInput = {
  /** Defaults to BEARER when a key is given, NONE otherwise. */
  authType?: ToolServerAuthType | null | undefined;
  config?: unknown;
  /** Extra request headers, as an object of strings; a value of "********" keeps the stored value of that header. */
  headers?: unknown;
  /** Keep an existing server's id to keep its stored key; omitted ids are matched by url and path, or generated. */
  id?: string | null | undefined;
  info?: unknown;
  /** Write-only. Null or omitted keeps the stored key; an empty string removes it. */
  key?: string | null | undefined;
  path?: string | null | undefined;
  type: ToolServerType;
  url: string;
};

export type ToolServerType =
  | 'MCP'
  | 'OPENAPI';

/** TransactionStatus is enum for the field status */
export type TransactionStatus =
  | 'CANCELED'
  | 'FAILED'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED'
  | 'SUCCEEDED';

/**
 * TransactionWhereInput is used for filtering Transaction objects.
 * Input was generated by ent.
 */
export type TransactionWhereInput = {
  and?: Array<TransactionWhereInput> | null | undefined;
  /** confirmation_url field predicates */
  confirmationURL?: string | null | undefined;
  confirmationURLContains?: string | null | undefined;
  confirmationURLContainsFold?: string | null | undefined;
  confirmationURLEqualFold?: string | null | undefined;
  confirmationURLGT?: string | null | undefined;
  confirmationURLGTE?: string | null | undefined;
  confirmationURLHasPrefix?: string | null | undefined;
  confirmationURLHasSuffix?: string | null | undefined;
  confirmationURLIn?: Array<string> | null | undefined;
  confirmationURLIsNil?: boolean | null | undefined;
  confirmationURLLT?: string | null | undefined;
  confirmationURLLTE?: string | null | undefined;
  confirmationURLNEQ?: string | null | undefined;
  confirmationURLNotIn?: Array<string> | null | undefined;
  confirmationURLNotNil?: boolean | null | undefined;
  /** created_at field predicates */
  createdAt?: string | null | undefined;
  createdAtGT?: string | null | undefined;
  createdAtGTE?: string | null | undefined;
  createdAtIn?: Array<string> | null | undefined;
  createdAtLT?: string | null | undefined;
  createdAtLTE?: string | null | undefined;
  createdAtNEQ?: string | null | undefined;
  createdAtNotIn?: Array<string> | null | undefined;
  /** currency field predicates */
  currency?: string | null | undefined;
  currencyContains?: string | null | undefined;
  currencyContainsFold?: string | null | undefined;
  currencyEqualFold?: string | null | undefined;
  currencyGT?: string | null | undefined;
  currencyGTE?: string | null | undefined;
  currencyHasPrefix?: string | null | undefined;
  currencyHasSuffix?: string | null | undefined;
  currencyIn?: Array<string> | null | undefined;
  currencyLT?: string | null | undefined;
  currencyLTE?: string | null | undefined;
  currencyNEQ?: string | null | undefined;
  currencyNotIn?: Array<string> | null | undefined;
  /** description field predicates */
  description?: string | null | undefined;
  descriptionContains?: string | null | undefined;
  descriptionContainsFold?: string | null | undefined;
  descriptionEqualFold?: string | null | undefined;
  descriptionGT?: string | null | undefined;
  descriptionGTE?: string | null | undefined;
  descriptionHasPrefix?: string | null | undefined;
  descriptionHasSuffix?: string | null | undefined;
  descriptionIn?: Array<string> | null | undefined;
  descriptionLT?: string | null | undefined;
  descriptionLTE?: string | null | undefined;
  descriptionNEQ?: string | null | undefined;
  descriptionNotIn?: Array<string> | null | undefined;
  /** id field predicates */
  id?: string | null | undefined;
  idContainsFold?: string | null | undefined;
  idEqualFold?: string | null | undefined;
  idGT?: string | null | undefined;
  idGTE?: string | null | undefined;
  idIn?: Array<string> | null | undefined;
  idLT?: string | null | undefined;
  idLTE?: string | null | undefined;
  idNEQ?: string | null | undefined;
  idNotIn?: Array<string> | null | undefined;
  not?: TransactionWhereInput | null | undefined;
  or?: Array<TransactionWhereInput> | null | undefined;
  /** plan_id field predicates */
  planID?: string | null | undefined;
  planIDContains?: string | null | undefined;
  planIDContainsFold?: string | null | undefined;
  planIDEqualFold?: string | null | undefined;
  planIDGT?: string | null | undefined;
  planIDGTE?: string | null | undefined;
  planIDHasPrefix?: string | null | undefined;
  planIDHasSuffix?: string | null | undefined;
  planIDIn?: Array<string> | null | undefined;
  planIDIsNil?: boolean | null | undefined;
  planIDLT?: string | null | undefined;
  planIDLTE?: string | null | undefined;
  planIDNEQ?: string | null | undefined;
  planIDNotIn?: Array<string> | null | undefined;
  planIDNotNil?: boolean | null | undefined;
  /** processed_at field predicates */
  processedAt?: string | null | undefined;
  processedAtGT?: string | null | undefined;
  processedAtGTE?: string | null | undefined;
  processedAtIn?: Array<string> | null | undefined;
  processedAtIsNil?: boolean | null | undefined;
  processedAtLT?: string | null | undefined;
  processedAtLTE?: string | null | undefined;
  processedAtNEQ?: string | null | undefined;
  processedAtNotIn?: Array<string> | null | undefined;
  processedAtNotNil?: boolean | null | undefined;
  /** provider field predicates */
  provider?: string | null | undefined;
  providerContains?: string | null | undefined;
  providerContainsFold?: string | null | undefined;
  providerEqualFold?: string | null | undefined;
  providerGT?: string | null | undefined;
  providerGTE?: string | null | undefined;
  providerHasPrefix?: string | null | undefined;
  providerHasSuffix?: string | null | undefined;
  providerIn?: Array<string> | null | undefined;
  providerLT?: string | null | undefined;
  providerLTE?: string | null | undefined;
  providerNEQ?: string | null | undefined;
  providerNotIn?: Array<string> | null | undefined;
  /** provider_payment_id field predicates */
  providerPaymentID?: string | null | undefined;
  providerPaymentIDContains?: string | null | undefined;
  providerPaymentIDContainsFold?: string | null | undefined;
  providerPaymentIDEqualFold?: string | null | undefined;
  providerPaymentIDGT?: string | null | undefined;
  providerPaymentIDGTE?: string | null | undefined;
  providerPaymentIDHasPrefix?: string | null | undefined;
  providerPaymentIDHasSuffix?: string | null | undefined;
  providerPaymentIDIn?: Array<string> | null | undefined;
  providerPaymentIDIsNil?: boolean | null | undefined;
  providerPaymentIDLT?: string | null | undefined;
  providerPaymentIDLTE?: string | null | undefined;
  providerPaymentIDNEQ?: string | null | undefined;
  providerPaymentIDNotIn?: Array<string> | null | undefined;
  providerPaymentIDNotNil?: boolean | null | undefined;
  /** receipt_url field predicates */
  receiptURL?: string | null | undefined;
  receiptURLContains?: string | null | undefined;
  receiptURLContainsFold?: string | null | undefined;
  receiptURLEqualFold?: string | null | undefined;
  receiptURLGT?: string | null | undefined;
  receiptURLGTE?: string | null | undefined;
  receiptURLHasPrefix?: string | null | undefined;
  receiptURLHasSuffix?: string | null | undefined;
  receiptURLIn?: Array<string> | null | undefined;
  receiptURLIsNil?: boolean | null | undefined;
  receiptURLLT?: string | null | undefined;
  receiptURLLTE?: string | null | undefined;
  receiptURLNEQ?: string | null | undefined;
  receiptURLNotIn?: Array<string> | null | undefined;
  receiptURLNotNil?: boolean | null | undefined;
  /** return_url field predicates */
  returnURL?: string | null | undefined;
  returnURLContains?: string | null | undefined;
  returnURLContainsFold?: string | null | undefined;
  returnURLEqualFold?: string | null | undefined;
  returnURLGT?: string | null | undefined;
  returnURLGTE?: string | null | undefined;
  returnURLHasPrefix?: string | null | undefined;
  returnURLHasSuffix?: string | null | undefined;
  returnURLIn?: Array<string> | null | undefined;
  returnURLIsNil?: boolean | null | undefined;
  returnURLLT?: string | null | undefined;
  returnURLLTE?: string | null | undefined;
  returnURLNEQ?: string | null | undefined;
  returnURLNotIn?: Array<string> | null | undefined;
  returnURLNotNil?: boolean | null | undefined;
  /** status field predicates */
  status?: TransactionStatus | null | undefined;
  statusIn?: Array<TransactionStatus> | null | undefined;
  statusNEQ?: TransactionStatus | null | undefined;
  statusNotIn?: Array<TransactionStatus> | null | undefined;
  /** subscription_id field predicates */
  subscriptionID?: string | null | undefined;
  subscriptionIDContains?: string | null | undefined;
  subscriptionIDContainsFold?: string | null | undefined;
  subscriptionIDEqualFold?: string | null | undefined;
  subscriptionIDGT?: string | null | undefined;
  subscriptionIDGTE?: string | null | undefined;
  subscriptionIDHasPrefix?: string | null | undefined;
  subscriptionIDHasSuffix?: string | null | undefined;
  subscriptionIDIn?: Array<string> | null | undefined;
  subscriptionIDIsNil?: boolean | null | undefined;
  subscriptionIDLT?: string | null | undefined;
  subscriptionIDLTE?: string | null | undefined;
  subscriptionIDNEQ?: string | null | undefined;
  subscriptionIDNotIn?: Array<string> | null | undefined;
  subscriptionIDNotNil?: boolean | null | undefined;
  /** updated_at field predicates */
  updatedAt?: string | null | undefined;
  updatedAtGT?: string | null | undefined;
  updatedAtGTE?: string | null | undefined;
  updatedAtIn?: Array<string> | null | undefined;
  updatedAtLT?: string | null | undefined;
  updatedAtLTE?: string | null | undefined;
  updatedAtNEQ?: string | null | undefined;
  updatedAtNotIn?: Array<string> | null | undefined;
  /** user_id field predicates */
  userID?: string | null | undefined;
  userIDContains?: string | null | undefined;
  userIDContainsFold?: string | null | undefined;
  userIDEqualFold?: string | null | undefined;
  userIDGT?: string | null | undefined;
  userIDGTE?: string | null | undefined;
  userIDHasPrefix?: string | null | undefined;
  userIDHasSuffix?: string | null | undefined;
  userIDIn?: Array<string> | null | undefined;
  userIDLT?: string | null | undefined;
  userIDLTE?: string | null | undefined;
  userIDNEQ?: string | null | undefined;
  userIDNotIn?: Array<string> | null | undefined;
};

export type UiConfigInput = {
  /** A language tag such as en-US, or empty to let the browser choose. */
  defaultLocale?: string | null | undefined;
  /** 1 to 128 characters. */
  name?: string | null | undefined;
};

export type UpdateModelInput = {
  /** Absent: unchanged; null: public; an object: as in createModel. */
  accessControl?: unknown;
  baseModelId?: string | null | undefined;
  isActive?: boolean | null | undefined;
  meta?: unknown;
  name?: string | null | undefined;
  params?: unknown;
};

/**
 * Changes to a plan; absent fields stay as they are. `quotas` replaces the whole set (a metric left
 * out becomes unlimited). Lowering a quota or changing the interval of a plan with live
 * subscriptions is CONFLICT: create a new plan instead.
 */
export type UpdatePlanInput = {
  currency?: string | null | undefined;
  description?: string | null | undefined;
  displayOrder?: number | null | undefined;
  features?: Array<string> | null | undefined;
  interval?: BillingInterval | null | undefined;
  isActive?: boolean | null | undefined;
  metadata?: unknown;
  /**
   * A change of price or currency starts a new price version of the plan. Live subscriptions keep
   * the price they were sold at until they renew onto the new one; with `moveSubscribers: true`
   * they move onto it at once (each continued by a linked subscription at the new price, keeping
   * its period).
   */
  moveSubscribers?: boolean | null | undefined;
  name?: string | null | undefined;
  price?: string | null | undefined;
  quotas?: Array<PlanQuotaInput> | null | undefined;
  translations?: Array<PlanTranslationInput> | null | undefined;
  /** Days of free trial a self-serve subscriber gets once (0: none; at most 366). */
  trialDays?: number | null | undefined;
};

/** UsageMetric is enum for the field metric */
export type UsageMetric =
  | 'AUDIO_MINUTES'
  | 'IMAGES'
  | 'REQUESTS'
  | 'TOKENS_INPUT'
  | 'TOKENS_OUTPUT';

/** Ordering options for User connections */
export type UserOrder = {
  /** The ordering direction. */
  direction?: OrderDirection;
  /** The field by which to order Users. */
  field: UserOrderField;
};

/** Properties by which User connections can be ordered. */
export type UserOrderField =
  | 'CREATED_AT'
  | 'EMAIL'
  | 'LAST_ACTIVE_AT'
  | 'NAME'
  | 'ROLE'
  | 'UPDATED_AT';

/**
 * UserWhereInput is used for filtering User objects.
 * Input was generated by ent.
 */
export type UserWhereInput = {
  and?: Array<UserWhereInput> | null | undefined;
  /** created_at field predicates */
  createdAt?: string | null | undefined;
  createdAtGT?: string | null | undefined;
  createdAtGTE?: string | null | undefined;
  createdAtIn?: Array<string> | null | undefined;
  createdAtLT?: string | null | undefined;
  createdAtLTE?: string | null | undefined;
  createdAtNEQ?: string | null | undefined;
  createdAtNotIn?: Array<string> | null | undefined;
  /** email field predicates */
  email?: string | null | undefined;
  emailContains?: string | null | undefined;
  emailContainsFold?: string | null | undefined;
  emailEqualFold?: string | null | undefined;
  emailGT?: string | null | undefined;
  emailGTE?: string | null | undefined;
  emailHasPrefix?: string | null | undefined;
  emailHasSuffix?: string | null | undefined;
  emailIn?: Array<string> | null | undefined;
  emailLT?: string | null | undefined;
  emailLTE?: string | null | undefined;
  emailNEQ?: string | null | undefined;
  emailNotIn?: Array<string> | null | undefined;
  /** groups edge predicates */
  hasGroups?: boolean | null | undefined;
  hasGroupsWith?: Array<GroupWhereInput> | null | undefined;
  /** id field predicates */
  id?: string | null | undefined;
  idContainsFold?: string | null | undefined;
  idEqualFold?: string | null | undefined;
  idGT?: string | null | undefined;
  idGTE?: string | null | undefined;
  idIn?: Array<string> | null | undefined;
  idLT?: string | null | undefined;
  idLTE?: string | null | undefined;
  idNEQ?: string | null | undefined;
  idNotIn?: Array<string> | null | undefined;
  /** last_active_at field predicates */
  lastActiveAt?: string | null | undefined;
  lastActiveAtGT?: string | null | undefined;
  lastActiveAtGTE?: string | null | undefined;
  lastActiveAtIn?: Array<string> | null | undefined;
  lastActiveAtLT?: string | null | undefined;
  lastActiveAtLTE?: string | null | undefined;
  lastActiveAtNEQ?: string | null | undefined;
  lastActiveAtNotIn?: Array<string> | null | undefined;
  /** name field predicates */
  name?: string | null | undefined;
  nameContains?: string | null | undefined;
  nameContainsFold?: string | null | undefined;
  nameEqualFold?: string | null | undefined;
  nameGT?: string | null | undefined;
  nameGTE?: string | null | undefined;
  nameHasPrefix?: string | null | undefined;
  nameHasSuffix?: string | null | undefined;
  nameIn?: Array<string> | null | undefined;
  nameLT?: string | null | undefined;
  nameLTE?: string | null | undefined;
  nameNEQ?: string | null | undefined;
  nameNotIn?: Array<string> | null | undefined;
  not?: UserWhereInput | null | undefined;
  or?: Array<UserWhereInput> | null | undefined;
  /** role field predicates */
  role?: Role | null | undefined;
  roleIn?: Array<Role> | null | undefined;
  roleNEQ?: Role | null | undefined;
  roleNotIn?: Array<Role> | null | undefined;
  /** suspended_at field predicates */
  suspendedAt?: string | null | undefined;
  suspendedAtGT?: string | null | undefined;
  suspendedAtGTE?: string | null | undefined;
  suspendedAtIn?: Array<string> | null | undefined;
  suspendedAtIsNil?: boolean | null | undefined;
  suspendedAtLT?: string | null | undefined;
  suspendedAtLTE?: string | null | undefined;
  suspendedAtNEQ?: string | null | undefined;
  suspendedAtNotIn?: Array<string> | null | undefined;
  suspendedAtNotNil?: boolean | null | undefined;
  /** updated_at field predicates */
  updatedAt?: string | null | undefined;
  updatedAtGT?: string | null | undefined;
  updatedAtGTE?: string | null | undefined;
  updatedAtIn?: Array<string> | null | undefined;
  updatedAtLT?: string | null | undefined;
  updatedAtLTE?: string | null | undefined;
  updatedAtNEQ?: string | null | undefined;
  updatedAtNotIn?: Array<string> | null | undefined;
};

export type ConsoleMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMeQuery = { me: { id: string, name: string, email: string | null, role: Role } | null };

export type ConsoleSignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSignOutMutation = { signout: boolean };

export type ConsoleAuditQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  where?: AuditLogWhere | null | undefined;
}>;


export type ConsoleAuditQuery = { auditLogs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, seq: number, createdAt: string, action: AuditAction, entityType: string, entityID: string | null, actorID: string | null, description: string, actor: { email: string | null } | null } | null } | null> | null } };

export type ConsoleAuditTailSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAuditTailSubscription = { auditLogAdded: { id: string, seq: number, createdAt: string, action: AuditAction, entityType: string, entityID: string | null, actorID: string | null, description: string, actor: { email: string | null } | null } };

export type ConsoleAuditActionsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAuditActionsQuery = { __type: { enumValues: Array<{ name: string }> | null } | null };

export type ConsoleAuditActorQueryVariables = Exact<{
  email: string;
}>;


export type ConsoleAuditActorQuery = { userByEmail: { id: string } | null };

export type ConsoleVerifyAuditQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleVerifyAuditQuery = { verifyAuditChain: { intact: boolean, checked: number, reason: string | null, firstBroken: { seq: number, action: AuditAction, createdAt: string } | null } };

export type ConsoleConfigQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleConfigQuery = { config: { ui: { name: string, defaultLocale: string }, auth: { enableSignup: boolean, defaultUserRole: Role, defaultGroupId: string | null, jwtExpiresIn: string, enableApiKeys: boolean, showAdminDetails: boolean, passwordMinLength: number }, rateLimits: { enabled: boolean, signinPerEmail: { rate: number, periodSeconds: number }, signinPerIp: { rate: number, periodSeconds: number }, signupPerIp: { rate: number, periodSeconds: number }, mutationsPerUser: { rate: number, periodSeconds: number }, requestsPerIp: { rate: number, periodSeconds: number } }, connections: { enableDirectConnections: boolean, enableBaseModelsCache: boolean, openai: Array<{ id: string, url: string, keySet: boolean, enabled: boolean, modelIds: Array<string>, timeoutSeconds: number }> }, codeExecution: { enableCodeExecution: boolean, codeExecutionEngine: CodeEngine, enableCodeInterpreter: boolean, codeInterpreterEngine: CodeEngine, codeInterpreterPromptTemplate: string, codeExecutionJupyter: { url: string, auth: JupyterAuth, tokenSet: boolean, passwordSet: boolean, timeout: number }, codeInterpreterJupyter: { url: string, auth: JupyterAuth, tokenSet: boolean, passwordSet: boolean, timeout: number } }, models: { defaultModels: Array<string>, defaultPinnedModels: Array<string>, modelOrderList: Array<string> }, promptSuggestions: Array<{ title: Array<string>, content: string }>, banners: Array<{ id: string, type: BannerType, title: string, content: string, dismissible: boolean, timestamp: string }>, toolServers: Array<{ id: string, url: string, path: string, type: ToolServerType, authType: ToolServerAuthType, keySet: boolean, headers: unknown, config: unknown, info: unknown }>, oauth: { providers: Array<{ id: string, name: string, issuerUrl: string, clientId: string, clientSecretSet: boolean, scopes: Array<string>, redirectUri: string, usernameClaim: string, emailClaim: string, pictureClaim: string, rolesClaim: string, groupsClaim: string, claimSeparator: string, enableSignup: boolean, mergeAccountsByEmail: boolean, allowedDomains: Array<string>, roleManagement: boolean, allowedRoles: Array<string>, adminRoles: Array<string>, groupManagement: boolean, groupCreation: boolean, blockedGroups: Array<string> }> }, ldap: { enabled: boolean, host: string, port: number, useTls: boolean, caCertFile: string, validateCert: boolean, appDn: string, appPasswordSet: boolean, searchBase: string, searchFilters: string, attributeForUsername: string, attributeForMail: string, groupManagement: boolean, attributeForGroups: string, groupCreation: boolean, blockedGroups: Array<string>, enableSignup: boolean } } };

export type ConsoleConfigGroupsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleConfigGroupsQuery = { groups: { edges: Array<{ node: { id: string, name: string } | null } | null> | null } };

export type ConsoleUpdateUiMutationVariables = Exact<{
  input: UiConfigInput;
}>;


export type ConsoleUpdateUiMutation = { updateUIConfig: { name: string } };

export type ConsoleUpdateAuthMutationVariables = Exact<{
  input: AuthConfigInput;
}>;


export type ConsoleUpdateAuthMutation = { updateAuthConfig: { passwordMinLength: number } };

export type ConsoleUpdateRateLimitsMutationVariables = Exact<{
  input: RateLimitsConfigInput;
}>;


export type ConsoleUpdateRateLimitsMutation = { updateRateLimitsConfig: { enabled: boolean } };

export type ConsoleUpdateConnectionsMutationVariables = Exact<{
  input: ConnectionsConfigInput;
}>;


export type ConsoleUpdateConnectionsMutation = { updateConnectionsConfig: { enableDirectConnections: boolean } };

export type ConsoleUpdateCodeExecutionMutationVariables = Exact<{
  input: CodeExecutionConfigInput;
}>;


export type ConsoleUpdateCodeExecutionMutation = { updateCodeExecutionConfig: { enableCodeExecution: boolean } };

export type ConsoleUpdateModelsMutationVariables = Exact<{
  input: ModelsConfigInput;
}>;


export type ConsoleUpdateModelsMutation = { updateModelsConfig: { defaultModels: Array<string> } };

export type ConsoleSetSuggestionsMutationVariables = Exact<{
  suggestions: Array<PromptSuggestionInput> | PromptSuggestionInput;
}>;


export type ConsoleSetSuggestionsMutation = { setPromptSuggestions: Array<{ content: string }> };

export type ConsoleSetBannersMutationVariables = Exact<{
  banners: Array<BannerInput> | BannerInput;
}>;


export type ConsoleSetBannersMutation = { setBanners: Array<{ id: string }> };

export type ConsoleSetToolServersMutationVariables = Exact<{
  servers: Array<ToolServerInput> | ToolServerInput;
}>;


export type ConsoleSetToolServersMutation = { setToolServers: Array<{ id: string }> };

export type ConsoleVerifyToolServerMutationVariables = Exact<{
  input: ToolServerInput;
}>;


export type ConsoleVerifyToolServerMutation = { verifyToolServer: { type: ToolServerType, name: string, version: string, specVersion: string, operations: number } };

export type ConsoleSetOAuthMutationVariables = Exact<{
  providers: Array<OAuthProviderInput> | OAuthProviderInput;
}>;


export type ConsoleSetOAuthMutation = { setOAuthProviders: Array<{ id: string }> };

export type ConsoleSetLdapMutationVariables = Exact<{
  input: LdapConfigInput;
}>;


export type ConsoleSetLdapMutation = { setLDAPConfig: { enabled: boolean } };

export type ConsoleExportConfigQueryVariables = Exact<{
  includeSecrets?: boolean | null | undefined;
}>;


export type ConsoleExportConfigQuery = { exportConfig: unknown };

export type ConsoleImportConfigMutationVariables = Exact<{
  config: unknown;
  dryRun?: boolean | null | undefined;
}>;


export type ConsoleImportConfigMutation = { importConfig: { dryRun: boolean, ignored: Array<string>, changes: Array<{ section: string, field: string, old: unknown, new: unknown }> } };

export type ConsoleOverviewQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type ConsoleOverviewQuery = { billingOverview: { at: string, newSubscriptions: number, canceledSubscriptions: number, activeAtStart: number, activeAtEnd: number, churnRate: number, trialsEnded: number, trialsConverted: number, trialConversionRate: number, mrr: Array<{ amount: string, currency: string }>, arr: Array<{ amount: string, currency: string }>, complimentary: { subscriptions: number, mrr: Array<{ amount: string, currency: string }> }, revenue: Array<{ amount: string, currency: string }>, revenueByMonth: Array<{ month: string, amounts: Array<{ amount: string, currency: string }> }>, usage: Array<{ metric: UsageMetric, total: number }>, usageByDay: Array<{ day: string, totals: Array<{ metric: UsageMetric, total: number }> }>, customers: { months: Array<{ month: string, currencies: Array<{ currency: string, newCustomers: number, reactivatedCustomers: number, expansionCustomers: number, contractionCustomers: number, churnedCustomers: number, startMrr: { amount: string }, endMrr: { amount: string }, new: { amount: string }, reactivated: { amount: string }, expansion: { amount: string }, contraction: { amount: string }, churned: { amount: string }, net: { amount: string } }> }>, payingAtEnd: Array<{ currency: string, customers: number }> } } };

export type ConsoleDashboardUsageSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleDashboardUsageSubscription = { usageUpdated: { userId: string, metric: UsageMetric, amount: number } };

export type ConsoleGroupMembersQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
}>;


export type ConsoleGroupMembersQuery = { group: { id: string, members: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, email: string | null, role: Role } | null } | null> | null } | null } | null };

export type ConsoleRemoveMemberMutationVariables = Exact<{
  groupId: string;
  userIds: Array<string> | string;
}>;


export type ConsoleRemoveMemberMutation = { removeGroupMembers: { group: { id: string, memberCount: number } } };

export type ConsoleGroupsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type ConsoleGroupsQuery = { groups: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, description: string, memberCount: number, deniedPermissions: Array<string> | null, permissions: unknown } | null } | null> | null } };

export type ConsoleCreateGroupMutationVariables = Exact<{
  input: CreateGroupInput;
}>;


export type ConsoleCreateGroupMutation = { createGroup: { id: string, name: string } };

export type ConsoleAddMembersMutationVariables = Exact<{
  groupId: string;
  userIds: Array<string> | string;
}>;


export type ConsoleAddMembersMutation = { addGroupMembers: { group: { id: string, memberCount: number } } };

export type ConsoleUserByEmailQueryVariables = Exact<{
  query: string;
}>;


export type ConsoleUserByEmailQuery = { users: { edges: Array<{ node: { id: string, email: string | null } | null } | null> | null } };

export type ConsoleExplainQueryVariables = Exact<{
  userId: string;
  key: string;
}>;


export type ConsoleExplainQuery = { explainPermission: { key: string, granted: boolean, known: boolean, reason: string, sources: Array<{ kind: PermissionSourceKind, groupName: string | null, value: boolean }> } };

export type ConsoleLiveUsageSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleLiveUsageSubscription = { usageUpdated: { userId: string, metric: UsageMetric, amount: number, used: number, limit: number | null, remaining: number | null, percentage: number | null } };

export type ConsoleQuotaAlertsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleQuotaAlertsSubscription = { quotaAlert: { userId: string, metric: UsageMetric, threshold: number, used: number, limit: number, at: string } };

export type ConsoleModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleModelsQuery = { models: Array<{ id: string, name: string, baseModelID: string | null, isActive: boolean, accessControl: unknown, updatedAt: string, owner: { id: string, name: string, email: string | null } | null }>, groups: { edges: Array<{ node: { id: string, name: string } | null } | null> | null } };

export type ConsoleCreateModelMutationVariables = Exact<{
  input: CreateModelInput;
}>;


export type ConsoleCreateModelMutation = { createModel: { id: string } };

export type ConsoleUpdateModelMutationVariables = Exact<{
  id: string;
  input: UpdateModelInput;
}>;


export type ConsoleUpdateModelMutation = { updateModel: { id: string, name: string, baseModelID: string | null, isActive: boolean, accessControl: unknown } };

export type ConsoleDeleteModelMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleDeleteModelMutation = { deleteModel: boolean };

export type ConsoleUsersWithAccessQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleUsersWithAccessQuery = { readers: Array<{ id: string, name: string, email: string | null }>, writers: Array<{ id: string, name: string, email: string | null }> };

export type ConsoleModelUserByEmailQueryVariables = Exact<{
  email: string;
}>;


export type ConsoleModelUserByEmailQuery = { userByEmail: { id: string, email: string | null } | null };

export type ConsoleModelUsersQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type ConsoleModelUsersQuery = { nodes: Array<
    | { id: string, email: string | null, name: string }
    | Record<PropertyKey, never>
   | null> };

export type ConsoleTransactionsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  where?: TransactionWhereInput | null | undefined;
}>;


export type ConsoleTransactionsQuery = { transactions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, createdAt: string, status: TransactionStatus, amount: string, refunded: string, currency: string, description: string, provider: string, providerPaymentID: string | null, userID: string, plan: { id: string, name: string } | null } | null } | null> | null } };

export type ConsolePaymentUsersQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type ConsolePaymentUsersQuery = { nodes: Array<
    | { id: string, email: string | null, name: string }
    | Record<PropertyKey, never>
   | null> };

export type ConsolePaymentUserByEmailQueryVariables = Exact<{
  email: string;
}>;


export type ConsolePaymentUserByEmailQuery = { userByEmail: { id: string, email: string | null } | null };

export type ConsolePaymentMethodQueryVariables = Exact<{
  userId: string;
}>;


export type ConsolePaymentMethodQuery = { paymentMethod: { type: string, title: string, cardLast4: string, createdAt: string } | null };

export type ConsolePaymentsRemoveMethodMutationVariables = Exact<{
  userId: string;
}>;


export type ConsolePaymentsRemoveMethodMutation = { removeUserPaymentMethod: boolean };

export type ConsoleRefundPaymentMutationVariables = Exact<{
  id: string;
  amount?: string | null | undefined;
  reason: string;
  effect: RefundEffect;
}>;


export type ConsoleRefundPaymentMutation = { refundPayment: { id: string, status: TransactionStatus, refunded: string } };

export type ConsoleSyncPaymentMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleSyncPaymentMutation = { syncPayment: { id: string, status: TransactionStatus, refunded: string } };

export type ConsolePlanQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
  live: boolean;
}>;


export type ConsolePlanQuery = { plan: { id: string, name: string, description: string, price: string, currency: string, interval: BillingInterval, isActive: boolean, displayOrder: number, trialDays: number, features: Array<string> | null, translations: Array<{ locale: string, name: string, description: string }>, quotas: Array<{ metric: UsageMetric, limit: number }>, stats: { activeSubscriptions: number, canceledSubscriptions: number, totalSubscriptions: number, mrr: { amount: string, currency: string } } | null, subscribers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { subscription: { id: string, status: SubscriptionStatus, complimentary: boolean, currentPeriodEnd: string, cancelAtPeriodEnd: boolean }, user: { id: string, email: string | null, name: string } | null, usage: { metrics: Array<{ metric: UsageMetric, used: number, limit: number | null }> } } }> } | null } | null, plans: Array<{ id: string, name: string, isActive: boolean }> };

export type ConsoleUpdatePlanMutationVariables = Exact<{
  id: string;
  input: UpdatePlanInput;
}>;


export type ConsoleUpdatePlanMutation = { updatePlan: { id: string, name: string } };

export type ConsolePlanToggleMutationVariables = Exact<{
  id: string;
}>;


export type ConsolePlanToggleMutation = { togglePlan: { id: string, isActive: boolean } };

export type ConsolePlanDuplicateMutationVariables = Exact<{
  id: string;
}>;


export type ConsolePlanDuplicateMutation = { duplicatePlan: { id: string, name: string } };

export type ConsoleMovePreviewMutationVariables = Exact<{
  from: string;
  to: string;
  atPeriodEnd: boolean;
  dryRun: boolean;
}>;


export type ConsoleMovePreviewMutation = { moveSubscribers: { dryRun: boolean, atPeriodEnd: boolean, subscriptions: number, mrrChange: Array<{ amount: string, currency: string }>, quotaConflicts: Array<{ metric: UsageMetric, limit: number, subscriptions: number }> } };

export type ConsolePlansQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePlansQuery = { plans: Array<{ id: string, name: string, price: string, currency: string, interval: BillingInterval, isActive: boolean, quotas: Array<{ metric: UsageMetric, limit: number }>, stats: { activeSubscriptions: number, mrr: { amount: string, currency: string } } | null }> };

export type ConsoleCreatePlanMutationVariables = Exact<{
  input: CreatePlanInput;
}>;


export type ConsoleCreatePlanMutation = { createPlan: { id: string } };

export type ConsoleTogglePlanMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleTogglePlanMutation = { togglePlan: { id: string, isActive: boolean } };

export type ConsoleDuplicatePlanMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleDuplicatePlanMutation = { duplicatePlan: { id: string } };

export type ConsoleAssignPlanMutationVariables = Exact<{
  userId: string;
  planId: string;
  complimentary?: boolean | null | undefined;
}>;


export type ConsoleAssignPlanMutation = { assignPlan: { id: string, status: SubscriptionStatus, complimentary: boolean } };

export type ConsolePlanUserByEmailQueryVariables = Exact<{
  email: string;
}>;


export type ConsolePlanUserByEmailQuery = { userByEmail: { id: string, email: string | null } | null };

export type ConsoleSignInMethodsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSignInMethodsQuery = { appConfig: { name: string, signInMethods: { password: boolean, providers: Array<{ id: string, name: string, loginUrl: string }> } } };

export type ConsoleSignInMutationVariables = Exact<{
  input: SigninInput;
}>;


export type ConsoleSignInMutation = { signin: { user: { id: string, role: Role } } };

export type ConsoleUserDetailQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleUserDetailQuery = { user: { id: string, name: string, email: string | null, role: Role, createdAt: string, lastActiveAt: string, lockedUntil: string | null, failedSignins: number | null, suspendedAt: string | null, suspensionReason: string | null } | null, sessions: Array<{ id: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, ip: string, userAgent: string }>, apiKeys: Array<{ id: string, name: string, prefix: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null }>, paymentMethod: { type: string, title: string, cardLast4: string, createdAt: string } | null };

export type ConsoleSuspendUserMutationVariables = Exact<{
  id: string;
  reason?: string | null | undefined;
}>;


export type ConsoleSuspendUserMutation = { suspendUser: { id: string, suspendedAt: string | null, suspensionReason: string | null } };

export type ConsoleReinstateUserMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleReinstateUserMutation = { reinstateUser: { id: string, suspendedAt: string | null, suspensionReason: string | null } };

export type ConsoleUnlockUserMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleUnlockUserMutation = { unlockUser: { id: string, lockedUntil: string | null, failedSignins: number | null } };

export type ConsoleRevokeSessionMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleRevokeSessionMutation = { revokeSession: boolean };

export type ConsoleRevokeApiKeyMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleRevokeApiKeyMutation = { revokeAPIKey: boolean };

export type ConsoleRemoveUserPaymentMethodMutationVariables = Exact<{
  userId: string;
}>;


export type ConsoleRemoveUserPaymentMethodMutation = { removeUserPaymentMethod: boolean };

export type ConsoleUsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  query?: string | null | undefined;
  where?: UserWhereInput | null | undefined;
  orderBy?: Array<UserOrder> | UserOrder | null | undefined;
}>;


export type ConsoleUsersQuery = { users: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, email: string | null, role: Role, createdAt: string, lastActiveAt: string } | null } | null> | null } };

export type ConsoleSetRoleMutationVariables = Exact<{
  id: string;
  role: Role;
}>;


export type ConsoleSetRoleMutation = { updateUser: { id: string, role: Role } };

export type ConsoleDeleteUserMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleDeleteUserMutation = { deleteUser: boolean };

export type ConsoleSetUsersRoleMutationVariables = Exact<{
  ids: Array<string> | string;
  role: Role;
}>;


export type ConsoleSetUsersRoleMutation = { setUsersRole: Array<{ id: string, changed: boolean, code: string | null, message: string | null }> };

export type ConsoleDeleteUsersMutationVariables = Exact<{
  ids: Array<string> | string;
}>;


export type ConsoleDeleteUsersMutation = { deleteUsers: Array<{ id: string, deleted: boolean, code: string | null, message: string | null }> };


export const ConsoleMeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleMe"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<ConsoleMeQuery, ConsoleMeQueryVariables>;
export const ConsoleSignOutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSignOut"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signout"}}]}}]} as unknown as DocumentNode<ConsoleSignOutMutation, ConsoleSignOutMutationVariables>;
export const ConsoleAuditDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleAudit"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditLogWhere"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityID"}},{"kind":"Field","name":{"kind":"Name","value":"actorID"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleAuditQuery, ConsoleAuditQueryVariables>;
export const ConsoleAuditTailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleAuditTail"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLogAdded"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityID"}},{"kind":"Field","name":{"kind":"Name","value":"actorID"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleAuditTailSubscription, ConsoleAuditTailSubscriptionVariables>;
export const ConsoleAuditActionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleAuditActions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__type"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"AuditAction","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enumValues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleAuditActionsQuery, ConsoleAuditActionsQueryVariables>;
export const ConsoleAuditActorDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleAuditActor"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userByEmail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleAuditActorQuery, ConsoleAuditActorQueryVariables>;
export const ConsoleVerifyAuditDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleVerifyAudit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"verifyAuditChain"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intact"}},{"kind":"Field","name":{"kind":"Name","value":"checked"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"firstBroken"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleVerifyAuditQuery, ConsoleVerifyAuditQueryVariables>;
export const ConsoleConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ui"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"defaultLocale"}}]}},{"kind":"Field","name":{"kind":"Name","value":"auth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enableSignup"}},{"kind":"Field","name":{"kind":"Name","value":"defaultUserRole"}},{"kind":"Field","name":{"kind":"Name","value":"defaultGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"jwtExpiresIn"}},{"kind":"Field","name":{"kind":"Name","value":"enableApiKeys"}},{"kind":"Field","name":{"kind":"Name","value":"showAdminDetails"}},{"kind":"Field","name":{"kind":"Name","value":"passwordMinLength"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rateLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"signinPerEmail"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rate"}},{"kind":"Field","name":{"kind":"Name","value":"periodSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"signinPerIp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rate"}},{"kind":"Field","name":{"kind":"Name","value":"periodSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"signupPerIp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rate"}},{"kind":"Field","name":{"kind":"Name","value":"periodSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"mutationsPerUser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rate"}},{"kind":"Field","name":{"kind":"Name","value":"periodSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"requestsPerIp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rate"}},{"kind":"Field","name":{"kind":"Name","value":"periodSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"connections"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enableDirectConnections"}},{"kind":"Field","name":{"kind":"Name","value":"enableBaseModelsCache"}},{"kind":"Field","name":{"kind":"Name","value":"openai"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"keySet"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"modelIds"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"codeExecution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enableCodeExecution"}},{"kind":"Field","name":{"kind":"Name","value":"codeExecutionEngine"}},{"kind":"Field","name":{"kind":"Name","value":"codeExecutionJupyter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"auth"}},{"kind":"Field","name":{"kind":"Name","value":"tokenSet"}},{"kind":"Field","name":{"kind":"Name","value":"passwordSet"}},{"kind":"Field","name":{"kind":"Name","value":"timeout"}}]}},{"kind":"Field","name":{"kind":"Name","value":"enableCodeInterpreter"}},{"kind":"Field","name":{"kind":"Name","value":"codeInterpreterEngine"}},{"kind":"Field","name":{"kind":"Name","value":"codeInterpreterPromptTemplate"}},{"kind":"Field","name":{"kind":"Name","value":"codeInterpreterJupyter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"auth"}},{"kind":"Field","name":{"kind":"Name","value":"tokenSet"}},{"kind":"Field","name":{"kind":"Name","value":"passwordSet"}},{"kind":"Field","name":{"kind":"Name","value":"timeout"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"defaultModels"}},{"kind":"Field","name":{"kind":"Name","value":"defaultPinnedModels"}},{"kind":"Field","name":{"kind":"Name","value":"modelOrderList"}}]}},{"kind":"Field","name":{"kind":"Name","value":"promptSuggestions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"Field","name":{"kind":"Name","value":"banners"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"dismissible"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toolServers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"authType"}},{"kind":"Field","name":{"kind":"Name","value":"keySet"}},{"kind":"Field","name":{"kind":"Name","value":"headers"}},{"kind":"Field","name":{"kind":"Name","value":"config"}},{"kind":"Field","name":{"kind":"Name","value":"info"}}]}},{"kind":"Field","name":{"kind":"Name","value":"oauth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"issuerUrl"}},{"kind":"Field","name":{"kind":"Name","value":"clientId"}},{"kind":"Field","name":{"kind":"Name","value":"clientSecretSet"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"redirectUri"}},{"kind":"Field","name":{"kind":"Name","value":"usernameClaim"}},{"kind":"Field","name":{"kind":"Name","value":"emailClaim"}},{"kind":"Field","name":{"kind":"Name","value":"pictureClaim"}},{"kind":"Field","name":{"kind":"Name","value":"rolesClaim"}},{"kind":"Field","name":{"kind":"Name","value":"groupsClaim"}},{"kind":"Field","name":{"kind":"Name","value":"claimSeparator"}},{"kind":"Field","name":{"kind":"Name","value":"enableSignup"}},{"kind":"Field","name":{"kind":"Name","value":"mergeAccountsByEmail"}},{"kind":"Field","name":{"kind":"Name","value":"allowedDomains"}},{"kind":"Field","name":{"kind":"Name","value":"roleManagement"}},{"kind":"Field","name":{"kind":"Name","value":"allowedRoles"}},{"kind":"Field","name":{"kind":"Name","value":"adminRoles"}},{"kind":"Field","name":{"kind":"Name","value":"groupManagement"}},{"kind":"Field","name":{"kind":"Name","value":"groupCreation"}},{"kind":"Field","name":{"kind":"Name","value":"blockedGroups"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"ldap"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"port"}},{"kind":"Field","name":{"kind":"Name","value":"useTls"}},{"kind":"Field","name":{"kind":"Name","value":"caCertFile"}},{"kind":"Field","name":{"kind":"Name","value":"validateCert"}},{"kind":"Field","name":{"kind":"Name","value":"appDn"}},{"kind":"Field","name":{"kind":"Name","value":"appPasswordSet"}},{"kind":"Field","name":{"kind":"Name","value":"searchBase"}},{"kind":"Field","name":{"kind":"Name","value":"searchFilters"}},{"kind":"Field","name":{"kind":"Name","value":"attributeForUsername"}},{"kind":"Field","name":{"kind":"Name","value":"attributeForMail"}},{"kind":"Field","name":{"kind":"Name","value":"groupManagement"}},{"kind":"Field","name":{"kind":"Name","value":"attributeForGroups"}},{"kind":"Field","name":{"kind":"Name","value":"groupCreation"}},{"kind":"Field","name":{"kind":"Name","value":"blockedGroups"}},{"kind":"Field","name":{"kind":"Name","value":"enableSignup"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleConfigQuery, ConsoleConfigQueryVariables>;
export const ConsoleConfigGroupsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleConfigGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groups"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"200"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleConfigGroupsQuery, ConsoleConfigGroupsQueryVariables>;
export const ConsoleUpdateUiDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateUI"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UIConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateUIConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateUiMutation, ConsoleUpdateUiMutationVariables>;
export const ConsoleUpdateAuthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateAuth"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AuthConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateAuthConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"passwordMinLength"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateAuthMutation, ConsoleUpdateAuthMutationVariables>;
export const ConsoleUpdateRateLimitsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateRateLimits"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitsConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateRateLimitsConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateRateLimitsMutation, ConsoleUpdateRateLimitsMutationVariables>;
export const ConsoleUpdateConnectionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateConnections"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectionsConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateConnectionsConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enableDirectConnections"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateConnectionsMutation, ConsoleUpdateConnectionsMutationVariables>;
export const ConsoleUpdateCodeExecutionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateCodeExecution"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CodeExecutionConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCodeExecutionConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enableCodeExecution"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateCodeExecutionMutation, ConsoleUpdateCodeExecutionMutationVariables>;
export const ConsoleUpdateModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateModels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ModelsConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateModelsConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"defaultModels"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateModelsMutation, ConsoleUpdateModelsMutationVariables>;
export const ConsoleSetSuggestionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSetSuggestions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"suggestions"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PromptSuggestionInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setPromptSuggestions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"suggestions"},"value":{"kind":"Variable","name":{"kind":"Name","value":"suggestions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}}]} as unknown as DocumentNode<ConsoleSetSuggestionsMutation, ConsoleSetSuggestionsMutationVariables>;
export const ConsoleSetBannersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSetBanners"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"banners"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BannerInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setBanners"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"banners"},"value":{"kind":"Variable","name":{"kind":"Name","value":"banners"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleSetBannersMutation, ConsoleSetBannersMutationVariables>;
export const ConsoleSetToolServersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSetToolServers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"servers"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ToolServerInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setToolServers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"servers"},"value":{"kind":"Variable","name":{"kind":"Name","value":"servers"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleSetToolServersMutation, ConsoleSetToolServersMutationVariables>;
export const ConsoleVerifyToolServerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleVerifyToolServer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ToolServerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"verifyToolServer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"specVersion"}},{"kind":"Field","name":{"kind":"Name","value":"operations"}}]}}]}}]} as unknown as DocumentNode<ConsoleVerifyToolServerMutation, ConsoleVerifyToolServerMutationVariables>;
export const ConsoleSetOAuthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSetOAuth"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"providers"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OAuthProviderInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setOAuthProviders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"providers"},"value":{"kind":"Variable","name":{"kind":"Name","value":"providers"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleSetOAuthMutation, ConsoleSetOAuthMutationVariables>;
export const ConsoleSetLdapDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSetLDAP"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LDAPConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setLDAPConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}}]}}]}}]} as unknown as DocumentNode<ConsoleSetLdapMutation, ConsoleSetLdapMutationVariables>;
export const ConsoleExportConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleExportConfig"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"includeSecrets"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeSecrets"},"value":{"kind":"Variable","name":{"kind":"Name","value":"includeSecrets"}}}]}]}}]} as unknown as DocumentNode<ConsoleExportConfigQuery, ConsoleExportConfigQueryVariables>;
export const ConsoleImportConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleImportConfig"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"config"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"config"},"value":{"kind":"Variable","name":{"kind":"Name","value":"config"}}},{"kind":"Argument","name":{"kind":"Name","value":"dryRun"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dryRun"}},{"kind":"Field","name":{"kind":"Name","value":"ignored"}},{"kind":"Field","name":{"kind":"Name","value":"changes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"section"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"old"}},{"kind":"Field","name":{"kind":"Name","value":"new"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleImportConfigMutation, ConsoleImportConfigMutationVariables>;
export const ConsoleOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"billingOverview"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"mrr"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"arr"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"newSubscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"canceledSubscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"activeAtStart"}},{"kind":"Field","name":{"kind":"Name","value":"activeAtEnd"}},{"kind":"Field","name":{"kind":"Name","value":"churnRate"}},{"kind":"Field","name":{"kind":"Name","value":"trialsEnded"}},{"kind":"Field","name":{"kind":"Name","value":"trialsConverted"}},{"kind":"Field","name":{"kind":"Name","value":"trialConversionRate"}},{"kind":"Field","name":{"kind":"Name","value":"complimentary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"mrr"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"revenue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"revenueByMonth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"amounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}},{"kind":"Field","name":{"kind":"Name","value":"usageByDay"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"day"}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"months"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"currencies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"startMrr"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endMrr"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"new"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reactivated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"expansion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contraction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"churned"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"net"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"newCustomers"}},{"kind":"Field","name":{"kind":"Name","value":"reactivatedCustomers"}},{"kind":"Field","name":{"kind":"Name","value":"expansionCustomers"}},{"kind":"Field","name":{"kind":"Name","value":"contractionCustomers"}},{"kind":"Field","name":{"kind":"Name","value":"churnedCustomers"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"payingAtEnd"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"customers"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleOverviewQuery, ConsoleOverviewQueryVariables>;
export const ConsoleDashboardUsageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleDashboardUsage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageUpdated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]} as unknown as DocumentNode<ConsoleDashboardUsageSubscription, ConsoleDashboardUsageSubscriptionVariables>;
export const ConsoleGroupMembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleGroupMembers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"members"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleGroupMembersQuery, ConsoleGroupMembersQueryVariables>;
export const ConsoleRemoveMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleRemoveMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeGroupMembers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleRemoveMemberMutation, ConsoleRemoveMemberMutationVariables>;
export const ConsoleGroupsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleGroups"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groups"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"deniedPermissions"}},{"kind":"Field","name":{"kind":"Name","value":"permissions"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleGroupsQuery, ConsoleGroupsQueryVariables>;
export const ConsoleCreateGroupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCreateGroup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateGroupInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createGroup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ConsoleCreateGroupMutation, ConsoleCreateGroupMutationVariables>;
export const ConsoleAddMembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleAddMembers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addGroupMembers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleAddMembersMutation, ConsoleAddMembersMutationVariables>;
export const ConsoleUserByEmailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleUserByEmail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"2"}},{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleUserByEmailQuery, ConsoleUserByEmailQueryVariables>;
export const ConsoleExplainDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleExplain"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"explainPermission"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"granted"}},{"kind":"Field","name":{"kind":"Name","value":"known"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"groupName"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleExplainQuery, ConsoleExplainQueryVariables>;
export const ConsoleLiveUsageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleLiveUsage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageUpdated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"used"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"percentage"}}]}}]}}]} as unknown as DocumentNode<ConsoleLiveUsageSubscription, ConsoleLiveUsageSubscriptionVariables>;
export const ConsoleQuotaAlertsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleQuotaAlerts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quotaAlert"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"used"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<ConsoleQuotaAlertsSubscription, ConsoleQuotaAlertsSubscriptionVariables>;
export const ConsoleModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleModels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"baseModelID"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"accessControl"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"groups"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleModelsQuery, ConsoleModelsQueryVariables>;
export const ConsoleCreateModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCreateModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateModelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createModel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleCreateModelMutation, ConsoleCreateModelMutationVariables>;
export const ConsoleUpdateModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdateModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateModelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateModel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"baseModelID"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"accessControl"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdateModelMutation, ConsoleUpdateModelMutationVariables>;
export const ConsoleDeleteModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleDeleteModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteModel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<ConsoleDeleteModelMutation, ConsoleDeleteModelMutationVariables>;
export const ConsoleUsersWithAccessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleUsersWithAccess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"readers"},"name":{"kind":"Name","value":"usersWithAccess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"modelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"access"},"value":{"kind":"EnumValue","value":"READ"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"writers"},"name":{"kind":"Name","value":"usersWithAccess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"modelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"access"},"value":{"kind":"EnumValue","value":"WRITE"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<ConsoleUsersWithAccessQuery, ConsoleUsersWithAccessQueryVariables>;
export const ConsoleModelUserByEmailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleModelUserByEmail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userByEmail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<ConsoleModelUserByEmailQuery, ConsoleModelUserByEmailQueryVariables>;
export const ConsoleModelUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleModelUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleModelUsersQuery, ConsoleModelUsersQueryVariables>;
export const ConsoleTransactionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleTransactions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TransactionWhereInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"refunded"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"providerPaymentID"}},{"kind":"Field","name":{"kind":"Name","value":"userID"}},{"kind":"Field","name":{"kind":"Name","value":"plan"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleTransactionsQuery, ConsoleTransactionsQueryVariables>;
export const ConsolePaymentUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePaymentUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ConsolePaymentUsersQuery, ConsolePaymentUsersQueryVariables>;
export const ConsolePaymentUserByEmailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePaymentUserByEmail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userByEmail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<ConsolePaymentUserByEmailQuery, ConsolePaymentUserByEmailQueryVariables>;
export const ConsolePaymentMethodDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePaymentMethod"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentMethod"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"cardLast4"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<ConsolePaymentMethodQuery, ConsolePaymentMethodQueryVariables>;
export const ConsolePaymentsRemoveMethodDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsolePaymentsRemoveMethod"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeUserPaymentMethod"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}]}]}}]} as unknown as DocumentNode<ConsolePaymentsRemoveMethodMutation, ConsolePaymentsRemoveMethodMutationVariables>;
export const ConsoleRefundPaymentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleRefundPayment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"amount"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Decimal"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"effect"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RefundEffect"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refundPayment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"amount"},"value":{"kind":"Variable","name":{"kind":"Name","value":"amount"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}},{"kind":"Argument","name":{"kind":"Name","value":"subscriptionEffect"},"value":{"kind":"Variable","name":{"kind":"Name","value":"effect"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"refunded"}}]}}]}}]} as unknown as DocumentNode<ConsoleRefundPaymentMutation, ConsoleRefundPaymentMutationVariables>;
export const ConsoleSyncPaymentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSyncPayment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncPayment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"refunded"}}]}}]}}]} as unknown as DocumentNode<ConsoleSyncPaymentMutation, ConsoleSyncPaymentMutationVariables>;
export const ConsolePlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"live"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"interval"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"displayOrder"}},{"kind":"Field","name":{"kind":"Name","value":"trialDays"}},{"kind":"Field","name":{"kind":"Name","value":"features"}},{"kind":"Field","name":{"kind":"Name","value":"translations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}},{"kind":"Field","name":{"kind":"Name","value":"quotas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activeSubscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"canceledSubscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"totalSubscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"mrr"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscribers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"live"},"value":{"kind":"Variable","name":{"kind":"Name","value":"live"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"complimentary"}},{"kind":"Field","name":{"kind":"Name","value":"currentPeriodEnd"}},{"kind":"Field","name":{"kind":"Name","value":"cancelAtPeriodEnd"}}]}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"used"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}}]}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"plans"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeInactive"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}}]}}]}}]} as unknown as DocumentNode<ConsolePlanQuery, ConsolePlanQueryVariables>;
export const ConsoleUpdatePlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUpdatePlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdatePlanInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updatePlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ConsoleUpdatePlanMutation, ConsoleUpdatePlanMutationVariables>;
export const ConsolePlanToggleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsolePlanToggle"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"togglePlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}}]}}]}}]} as unknown as DocumentNode<ConsolePlanToggleMutation, ConsolePlanToggleMutationVariables>;
export const ConsolePlanDuplicateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsolePlanDuplicate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"duplicatePlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ConsolePlanDuplicateMutation, ConsolePlanDuplicateMutationVariables>;
export const ConsoleMovePreviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleMovePreview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"atPeriodEnd"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"moveSubscribers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"fromPlanId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"toPlanId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"atPeriodEnd"},"value":{"kind":"Variable","name":{"kind":"Name","value":"atPeriodEnd"}}},{"kind":"Argument","name":{"kind":"Name","value":"dryRun"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dryRun"}},{"kind":"Field","name":{"kind":"Name","value":"atPeriodEnd"}},{"kind":"Field","name":{"kind":"Name","value":"subscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"mrrChange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"quotaConflicts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"subscriptions"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleMovePreviewMutation, ConsoleMovePreviewMutationVariables>;
export const ConsolePlansDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePlans"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plans"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeInactive"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"interval"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"quotas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activeSubscriptions"}},{"kind":"Field","name":{"kind":"Name","value":"mrr"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsolePlansQuery, ConsolePlansQueryVariables>;
export const ConsoleCreatePlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCreatePlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreatePlanInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createPlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleCreatePlanMutation, ConsoleCreatePlanMutationVariables>;
export const ConsoleTogglePlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleTogglePlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"togglePlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}}]}}]}}]} as unknown as DocumentNode<ConsoleTogglePlanMutation, ConsoleTogglePlanMutationVariables>;
export const ConsoleDuplicatePlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleDuplicatePlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"duplicatePlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ConsoleDuplicatePlanMutation, ConsoleDuplicatePlanMutationVariables>;
export const ConsoleAssignPlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleAssignPlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"planId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"complimentary"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignPlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"planId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"planId"}}},{"kind":"Argument","name":{"kind":"Name","value":"complimentary"},"value":{"kind":"Variable","name":{"kind":"Name","value":"complimentary"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"complimentary"}}]}}]}}]} as unknown as DocumentNode<ConsoleAssignPlanMutation, ConsoleAssignPlanMutationVariables>;
export const ConsolePlanUserByEmailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePlanUserByEmail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userByEmail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<ConsolePlanUserByEmailQuery, ConsolePlanUserByEmailQueryVariables>;
export const ConsoleSignInMethodsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleSignInMethods"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"signInMethods"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"password"}},{"kind":"Field","name":{"kind":"Name","value":"providers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"loginUrl"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleSignInMethodsQuery, ConsoleSignInMethodsQueryVariables>;
export const ConsoleSignInDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSignIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SigninInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signin"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleSignInMutation, ConsoleSignInMutationVariables>;
export const ConsoleUserDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleUserDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActiveAt"}},{"kind":"Field","name":{"kind":"Name","value":"lockedUntil"}},{"kind":"Field","name":{"kind":"Name","value":"failedSignins"}},{"kind":"Field","name":{"kind":"Name","value":"suspendedAt"}},{"kind":"Field","name":{"kind":"Name","value":"suspensionReason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"ip"}},{"kind":"Field","name":{"kind":"Name","value":"userAgent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"apiKeys"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"paymentMethod"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"cardLast4"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<ConsoleUserDetailQuery, ConsoleUserDetailQueryVariables>;
export const ConsoleSuspendUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSuspendUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"suspendUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"suspendedAt"}},{"kind":"Field","name":{"kind":"Name","value":"suspensionReason"}}]}}]}}]} as unknown as DocumentNode<ConsoleSuspendUserMutation, ConsoleSuspendUserMutationVariables>;
export const ConsoleReinstateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleReinstateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reinstateUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"suspendedAt"}},{"kind":"Field","name":{"kind":"Name","value":"suspensionReason"}}]}}]}}]} as unknown as DocumentNode<ConsoleReinstateUserMutation, ConsoleReinstateUserMutationVariables>;
export const ConsoleUnlockUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUnlockUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unlockUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lockedUntil"}},{"kind":"Field","name":{"kind":"Name","value":"failedSignins"}}]}}]}}]} as unknown as DocumentNode<ConsoleUnlockUserMutation, ConsoleUnlockUserMutationVariables>;
export const ConsoleRevokeSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleRevokeSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<ConsoleRevokeSessionMutation, ConsoleRevokeSessionMutationVariables>;
export const ConsoleRevokeApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleRevokeAPIKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeAPIKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<ConsoleRevokeApiKeyMutation, ConsoleRevokeApiKeyMutationVariables>;
export const ConsoleRemoveUserPaymentMethodDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleRemoveUserPaymentMethod"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeUserPaymentMethod"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}]}]}}]} as unknown as DocumentNode<ConsoleRemoveUserPaymentMethodMutation, ConsoleRemoveUserPaymentMethodMutationVariables>;
export const ConsoleUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UserWhereInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UserOrder"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActiveAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleUsersQuery, ConsoleUsersQueryVariables>;
export const ConsoleSetRoleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSetRole"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"role"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Role"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"role"},"value":{"kind":"Variable","name":{"kind":"Name","value":"role"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<ConsoleSetRoleMutation, ConsoleSetRoleMutationVariables>;
export const ConsoleDeleteUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleDeleteUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<ConsoleDeleteUserMutation, ConsoleDeleteUserMutationVariables>;
export const ConsoleSetUsersRoleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleSetUsersRole"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"role"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Role"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setUsersRole"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}},{"kind":"Argument","name":{"kind":"Name","value":"role"},"value":{"kind":"Variable","name":{"kind":"Name","value":"role"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"changed"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ConsoleSetUsersRoleMutation, ConsoleSetUsersRoleMutationVariables>;
export const ConsoleDeleteUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleDeleteUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteUsers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ConsoleDeleteUsersMutation, ConsoleDeleteUsersMutationVariables>;