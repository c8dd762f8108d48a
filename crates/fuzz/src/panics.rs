//! Catching a panic as a failing case, with its message and location, without printing it:
//! a fuzz run may meet thousands. Panics on other threads (other tests) print as usual.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                let at = info.location().map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
                LAST.with(|last| *last.borrow_mut() = Some(format!("{message}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic comes back as its message and location.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    CAPTURING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    result.map_err(|_| LAST.with(|last| last.borrow_mut().take()).unwrap_or_else(|| "panic".into()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_its_message() {
        let e = super::catch(|| -> u8 { panic!("boom {}", 7) }).unwrap_err();
        assert!(e.starts_with("boom 7 at ") && e.contains("panics.rs"), "{e}");
        assert_eq!(super::catch(|| 5), Ok(5));
    }
}
