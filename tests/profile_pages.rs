//! Dialing-profile pages and counts (SPEC 13, "List Dialing Profiles")
//! against a naive model: random creates and deletes of profiles of three
//! clients and system-wide ones, then pages at any offset and the count as
//! each client, and as the system, sees them. The engine keeps profile ids
//! by owner; the model filters every profile.

use dnc_engine::{ClientId, Engine, NewProfile, PageRequest, ProfileId};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    /// A profile of client `0..3`, or system-wide (`None`).
    Create(Option<u8>),
    /// Deletes the `pick`-th stored profile (as the system).
    Delete(u8),
    /// A page as client `0..3` (or the system) sees the profiles.
    Page {
        scope: Option<u8>,
        offset: u8,
        count: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => proptest::option::weighted(0.7, 0..3u8).prop_map(Op::Create),
        2 => any::<u8>().prop_map(Op::Delete),
        4 => (proptest::option::weighted(0.8, 0..3u8), 0..30u8, 1..6u8)
            .prop_map(|(scope, offset, count)| Op::Page { scope, offset, count }),
    ]
}

fn client(n: u8) -> ClientId {
    ClientId::new(u64::from(n) + 1).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every page and count equals the model's filter over all profiles, and
    /// a client never sees another client's profiles.
    #[test]
    fn profile_pages_agree_with_the_naive_model(ops in proptest::collection::vec(op(), 1..120)) {
        let mut engine = Engine::new();
        let mut model: Vec<(ProfileId, Option<ClientId>)> = Vec::new();
        for op in ops {
            match op {
                Op::Create(owner) => {
                    let owner = owner.map(client);
                    let new = NewProfile {
                        client: owner,
                        name: "p".to_owned(),
                        description: None,
                        client_default: false,
                        policies: vec![],
                    };
                    let id = engine.profile_create(owner, new).unwrap();
                    model.push((id, owner));
                }
                Op::Delete(pick) => {
                    if model.is_empty() {
                        continue;
                    }
                    let (id, _) = model.remove(usize::from(pick) % model.len());
                    engine.profile_delete(None, id).unwrap();
                }
                Op::Page { scope, offset, count } => {
                    let scope = scope.map(client);
                    let visible: Vec<ProfileId> = model
                        .iter()
                        .filter(|(_, owner)| scope.is_none() || owner.is_none() || *owner == scope)
                        .map(|(id, _)| *id)
                        .collect();
                    let request = PageRequest::new(u64::from(offset), u64::from(count)).unwrap();
                    let page = engine.profile_page(scope, request);
                    let want: Vec<ProfileId> = visible
                        .iter()
                        .skip(usize::from(offset))
                        .take(usize::from(count))
                        .copied()
                        .collect();
                    let got: Vec<ProfileId> = page.entries.iter().map(|p| p.id).collect();
                    prop_assert_eq!(got, want);
                    let more = visible.len() > usize::from(offset) + usize::from(count);
                    prop_assert_eq!(page.next, more.then_some(u64::from(offset) + u64::from(count)));
                    prop_assert_eq!(engine.profile_info(scope).size, visible.len());
                }
            }
            engine.validate().map_err(TestCaseError::fail)?;
        }
    }
}
