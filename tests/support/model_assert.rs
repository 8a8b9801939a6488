//! The comparison the naive models use, for the property tests and the
//! fuzz targets alike: `prop_assert_eq!`/`prop_assert!` that return the
//! failure as a message (proptest's own macros need proptest, which the
//! fuzz targets do not link).

/// Fails the comparison with both sides and, when given, a message.
macro_rules! prop_assert_eq {
    ($left:expr, $right:expr $(,)?) => {{
        let (left, right) = (&$left, &$right);
        if left != right {
            return Err(format!(
                "{} != {}: {:?} vs {:?}",
                stringify!($left),
                stringify!($right),
                left,
                right
            ));
        }
    }};
    ($left:expr, $right:expr, $($message:tt)+) => {{
        let (left, right) = (&$left, &$right);
        if left != right {
            return Err(format!("{:?} vs {:?}: {}", left, right, format!($($message)+)));
        }
    }};
}

/// Fails when the condition does not hold.
#[allow(unused_macros)]
macro_rules! prop_assert {
    ($condition:expr $(,)?) => {{
        if !$condition {
            return Err(format!("failed: {}", stringify!($condition)));
        }
    }};
}
