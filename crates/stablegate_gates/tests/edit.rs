//! Lossless allowlist edits (`stablegate_gates::edit`): what `allow`,
//! `convert`, `refresh` and `prune` write, byte for byte, on ordinary and hostile
//! (but valid) YAML.

#[path = "edit/append.rs"]
mod append;
#[path = "edit/convert.rs"]
mod convert;
#[path = "edit/hostile.rs"]
mod hostile;
#[path = "edit/props.rs"]
mod props;
#[path = "edit/refresh.rs"]
mod refresh;
#[path = "edit/remove.rs"]
mod remove;
#[path = "edit/seed.rs"]
mod seed;
#[path = "edit/support.rs"]
mod support;
