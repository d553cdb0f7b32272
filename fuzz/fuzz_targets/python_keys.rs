//! Python keys (`stablegate_keys`): the bytes of a file decoded as stablegate
//! reads it ([`decode_source`]), tokenized and parsed ([`python_keys`]) on a
//! worker-sized stack, as `check` and `keys` do. Checks that every key's
//! line exists and is ascending, that lookups past the end are answered,
//! and that re-keying a stored token ([`canonical_token`], the hand-typed
//! token lint) does not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stablegate_fuzz::on_worker_stack;
use stablegate_keys::{canonical_token, decode_source, python_keys};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode_source(data) else {
        return;
    };
    let text = text.into_owned();
    on_worker_stack(move || {
        let keys = python_keys(&text);
        let lines = keys.line_count();
        let mut previous = 0;
        let mut tokens = Vec::new();
        for key in keys.keys() {
            assert!(
                key.line > previous && key.line <= lines,
                "line {}",
                key.line
            );
            assert!(!key.qualname.is_empty());
            assert_eq!(keys.token(key.line), Some(key.token));
            previous = key.line;
            if tokens.len() < 4 {
                tokens.push(key.token.to_owned());
            }
        }
        assert_eq!(keys.token(0), None);
        assert_eq!(keys.token(lines + 1), None);
        let _ = keys.qualname(lines + 1);
        for token in tokens {
            let _ = canonical_token(&token);
        }
    });
});
