//! Access: the roles, the methods they may call, and the tenant rule.

pub(crate) mod policy;
pub(crate) mod roles;
