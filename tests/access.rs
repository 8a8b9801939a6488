//! SPEC section 10, cell by cell: every role (and a MANAGER with and
//! without `EDIT_DNC_LISTS`) against every method, and tenant isolation for
//! all of them.

use dnc_engine::{ClientId, DncError, Method, Principal, Role, authorize};

const METHODS: [Method; 15] = [
    Method::IsBlocked,
    Method::Read,
    Method::Create,
    Method::CreateMany,
    Method::Update,
    Method::Delete,
    Method::List,
    Method::Find,
    Method::Info,
    Method::AccountFlags,
    Method::ClearDaily,
    Method::IsLegacyDncEnabled,
    Method::Configure,
    Method::ZipAreaMatch,
    Method::DialingProfiles,
];

/// Columns: SYSADMIN, SUPERUSER, MANAGER, MANAGER + EDIT_DNC_LISTS,
/// IT_USER, AGENT. `Y` allowed, `-` forbidden.
const TABLE: [(Method, &str); 15] = [
    (Method::IsBlocked, "YYYY-Y"), // "other than Is Blocked": no power needed
    (Method::Read, "YY-Y-Y"),      // list management; on the agent list
    (Method::Create, "YY-Y-Y"),    // on the agent list
    (Method::CreateMany, "YY-Y--"), // "Create DNC" only, for agents
    (Method::Update, "YY-Y--"),
    (Method::Delete, "YY-Y--"),
    (Method::List, "YY-Y-Y"),
    (Method::Find, "YY-Y-Y"),
    (Method::Info, "YY-Y-Y"),
    (Method::AccountFlags, "YY-Y--"),       // changes a DNC list
    (Method::ClearDaily, "YY-Y--"),         // changes a DNC list
    (Method::IsLegacyDncEnabled, "YYYY--"), // a DNC method, not list management
    (Method::Configure, "YY----"),          // the crate's choice: administrators only
    (Method::ZipAreaMatch, "YYYY-Y"),       // on the agent list
    (Method::DialingProfiles, "YY--Y-"),    // SYSADMIN, SUPERUSER or IT_USER
];

fn principals(client: ClientId) -> [Principal; 6] {
    let p = |role, edit_dnc_lists| Principal {
        role,
        client,
        edit_dnc_lists,
    };
    [
        p(Role::Sysadmin, false),
        p(Role::Superuser, false),
        p(Role::Manager, false),
        p(Role::Manager, true),
        p(Role::ItUser, false),
        p(Role::Agent, false),
    ]
}

#[test]
fn every_role_and_method_cell_of_spec_10() {
    let client = ClientId::new(1).unwrap();
    assert_eq!(METHODS.len(), TABLE.len());
    for (method, row) in TABLE {
        for (principal, cell) in principals(client).iter().zip(row.chars()) {
            let result = authorize(principal, method, client);
            let name = format!("{method:?} as {principal:?}");
            match cell {
                'Y' => assert_eq!(result, Ok(()), "{name}"),
                _ => {
                    let error = result.expect_err(&name);
                    assert_eq!(error.code(), "forbidden", "{name}");
                    assert!(
                        matches!(error, DncError::Forbidden { role, method: m, .. } if role == principal.role && m == method),
                        "{name}"
                    );
                }
            }
        }
    }
}

#[test]
fn no_principal_touches_another_clients_data() {
    let (own, other) = (ClientId::new(1).unwrap(), ClientId::new(2).unwrap());
    for method in METHODS {
        for principal in principals(own) {
            let error = authorize(&principal, method, other).unwrap_err();
            assert_eq!(error.code(), "forbidden", "{method:?} as {principal:?}");
            assert!(error.to_string().contains("another client"), "{error}");
        }
    }
}

#[test]
fn powers_other_than_edit_dnc_lists_change_nothing() {
    // The power only matters to a MANAGER; other roles answer the same with it.
    let client = ClientId::new(1).unwrap();
    for role in [Role::Sysadmin, Role::Superuser, Role::ItUser, Role::Agent] {
        for method in METHODS {
            let without = Principal {
                role,
                client,
                edit_dnc_lists: false,
            };
            let with = Principal {
                edit_dnc_lists: true,
                ..without
            };
            assert_eq!(
                authorize(&without, method, client).is_ok(),
                authorize(&with, method, client).is_ok(),
                "{role} {method:?}"
            );
        }
    }
    for (text, role) in [
        ("SYSADMIN", Role::Sysadmin),
        ("SUPERUSER", Role::Superuser),
        ("MANAGER", Role::Manager),
        ("IT_USER", Role::ItUser),
        ("AGENT", Role::Agent),
    ] {
        assert_eq!(Role::parse(text), Some(role));
        assert_eq!(role.as_str(), text);
    }
    assert_eq!(
        Role::parse("agent"),
        None,
        "roles are spelled as the reference does"
    );
}
