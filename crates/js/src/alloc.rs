//! The allocator of the two wasm builds (the package and the page): blocks of 16 B to 128 KB in
//! power-of-two size classes, each class a free list, over lol_alloc's free-list allocator for
//! larger blocks and for new ones. dlmalloc is about 3.5 KB more of gzipped wasm; lol_alloc's
//! free list alone is as small but made a recalculation on the page three times slower (its
//! list is searched on every allocation, and Yew allocates much). Here a small allocation or
//! free is a push or pop. The page's recalculation median, measured back to back on an idle
//! machine: these classes 5.8–8.6 ms, dlmalloc 6.2–8.6 ms (lol_alloc's list alone: 20.5 ms).
//!
//! A freed block stays in its class for reuse and is not returned to the allocator below:
//! what the page uses at its busiest stays reserved, a few hundred KB.
//! Single-threaded: wasm32 without threads, as both builds are.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;
use core::ptr::null_mut;
use lol_alloc::{AssumeSingleThreaded, FreeListAllocator};

const CLASSES: usize = crate::SIZE_CLASSES;

pub struct SizeClasses {
    heads: [Cell<*mut u8>; CLASSES],
    below: AssumeSingleThreaded<FreeListAllocator>,
}

// Safety: the wasm builds are single-threaded; nothing shares this across threads.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    /// # Safety
    /// Only for a single-threaded program (wasm32 without threads).
    pub const unsafe fn new() -> SizeClasses {
        SizeClasses {
            heads: [const { Cell::new(null_mut()) }; CLASSES],
            below: AssumeSingleThreaded::new(FreeListAllocator::new()),
        }
    }
}

unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some((class, size)) = crate::size_class(layout) else { return self.below.alloc(layout) };
        let head = self.heads[class].get();
        if head.is_null() {
            // A new block, aligned to its size.
            return self.below.alloc(Layout::from_size_align_unchecked(size, size));
        }
        // A free block holds the next free block's address in its first bytes.
        self.heads[class].set((head as *mut *mut u8).read());
        head
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match crate::size_class(layout) {
            Some((class, _)) => {
                (ptr as *mut *mut u8).write(self.heads[class].get());
                self.heads[class].set(ptr);
            }
            None => self.below.dealloc(ptr, layout),
        }
    }
}
