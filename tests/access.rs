//! SPEC section 10, cell by cell: every role (and a MANAGER with and
//! without `EDIT_DNC_LISTS`) against every method, and tenant isolation for
//! all of them.

use dnc_engine::{ClientId, DncError, Method, Principal, Role, authorize};

const METHODS: [Method; 16] = [
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
    Method::DialDecision,
];

/// Columns: SYSADMIN, SUPERUSER, MANAGER, MANAGER + EDIT_DNC_LISTS,
/// IT_USER, AGENT. `Y` allowed, `-` forbidden.
const TABLE: [(Method, &str); 16] = [
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
    // Reads the DNC lists and the profiles: the roles that may do both.
    (Method::DialDecision, "YY----"),
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

/// Issue 10 §2: the library's principal-scoped way in. Every record of a
/// bulk is checked; another tenant's service, entry and registration are
/// answered as if they did not exist, and no error names client 2.
mod scoped {
    use dnc_engine::{
        Caller, ClientId, DncError, DncKey, Engine, EntryId, NewEntry, Phone, Principal, Role,
        ServiceId,
    };

    fn id(n: u64) -> EntryId {
        EntryId::new(n).unwrap()
    }
    fn engine() -> Engine {
        let mut engine = Engine::new();
        let (one, two) = (ClientId::new(1).unwrap(), ClientId::new(2).unwrap());
        engine
            .register_service(one, ServiceId::new(10).unwrap())
            .unwrap();
        engine
            .register_service(two, ServiceId::new(20).unwrap())
            .unwrap();
        let mut theirs = NewEntry::for_client(two, DncKey::Phone(Phone::parse("77").unwrap()));
        theirs.id = Some(id(7));
        engine.add(theirs).unwrap();
        engine
    }
    fn admin_of_one() -> Caller {
        Caller::Principal(Principal {
            role: Role::Sysadmin,
            client: ClientId::new(1).unwrap(),
            edit_dnc_lists: true,
        })
    }
    fn phone(n: &str) -> DncKey {
        DncKey::Phone(Phone::parse(n).unwrap())
    }

    #[test]
    fn every_record_of_a_bulk_is_confined_to_the_principals_client() {
        let mut engine = engine();
        let (one, two) = (ClientId::new(1).unwrap(), ClientId::new(2).unwrap());
        let records = vec![
            NewEntry::for_client(two, phone("78")),
            NewEntry::for_service(ServiceId::new(20).unwrap(), phone("79")),
            NewEntry::for_client(one, phone("80")),
            NewEntry::for_service(ServiceId::new(10).unwrap(), phone("81")),
            NewEntry {
                client: Some(one),
                ..NewEntry::for_service(ServiceId::new(20).unwrap(), phone("82"))
            },
        ];
        let outcome = engine
            .scoped_mut(admin_of_one())
            .add_many_at(records, None)
            .unwrap();
        let codes: Vec<&str> = outcome
            .results()
            .iter()
            .map(|result| result.as_ref().map_or_else(|e| e.code(), |_| "ok"))
            .collect();
        assert_eq!(
            codes,
            [
                "forbidden",
                "unknown_service",
                "ok",
                "ok",
                "unknown_service"
            ]
        );
        assert!(engine.entries().all(|e| e.client == one || e.id == id(7)));
        assert_eq!(engine.entries().filter(|e| e.client == two).count(), 1);
    }

    #[test]
    fn another_tenants_service_and_entry_look_like_missing_ones() {
        let mut engine = engine();
        let mut tenant = engine.scoped_mut(admin_of_one());
        let theirs = tenant.remove_at(id(7), None).unwrap_err();
        let missing = tenant.remove_at(id(997), None).unwrap_err();
        assert_eq!(theirs, DncError::NotFound { id: id(7) });
        assert_eq!(missing, DncError::NotFound { id: id(997) });
        for service in [20, 29] {
            let service = ServiceId::new(service).unwrap();
            let error = tenant.set_service_contact_group(service, None).unwrap_err();
            assert_eq!(error, DncError::UnknownService { service });
        }
        let taken = tenant
            .register_service(ClientId::new(1).unwrap(), ServiceId::new(20).unwrap())
            .unwrap_err();
        assert_eq!(taken.code(), "service_client_mismatch");
        assert!(!taken.to_string().contains("client 2"), "{taken}");
        assert_eq!(tenant.clear_daily(None).unwrap_err().code(), "forbidden");
        // The host itself sees everything.
        let host = engine.scoped(Caller::Host);
        assert_eq!(
            host.client_of(ServiceId::new(20).unwrap()),
            ClientId::new(2).ok()
        );
        assert_eq!(
            engine
                .scoped(admin_of_one())
                .client_of(ServiceId::new(20).unwrap()),
            None
        );
    }
}
