//! Every output format rendered from one hand-built report that holds every
//! verdict: exact snapshots, schema validation, round-trips, and failing
//! writers. One test binary for the crate (one link on a 2-core machine).

mod broken_pipe;
mod checks;
mod docs;
mod fixture;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;
mod theater;
