//! Self-tests: the tests a device offers (selftests-get), the results of
//! a run (selftests-run) and the status notifications of a running test
//! (selftest-status-ntf, group [`crate::ACCEL_MCGRP_PROGRESS`]): all three
//! carry a handle and test nests. Plain structs, no netlink types.

use netlink_packet_core::DecodeError;

use crate::attrs::{SelftestAttr, SelftestTestAttr};
use crate::generated::*;
use crate::ident::DevIdent;
use crate::message::AccelMessage;
use crate::ops::{Attrs, SelftestsGetDo, SelftestsGetDump, SelftestsRunDo};
use crate::request::{request, DevHandle, Msg};
use crate::spec_enum::spec_enum;

spec_enum!(
    /// Result of a self-test (spec enum `selftest-result`).
    SelftestResult, SELFTEST_RESULT_NAMES, {
        /// The test ran and passed.
        Pass = ACCEL_SELFTEST_RESULT_PASS,
        /// The test ran and found a fault.
        Fail = ACCEL_SELFTEST_RESULT_FAIL,
        /// The test did not run.
        Skip = ACCEL_SELFTEST_RESULT_SKIP,
    }
);

/// One self-test: its id and name, and what a run or a status
/// notification says about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SelftestTest {
    pub id: u32,
    pub name: String,
    /// In a run's reply and the last status notification of the test.
    pub result: Option<SelftestResult>,
    /// What the driver says about a fail or skip.
    pub result_msg: Option<String>,
    /// In status notifications of a running test that reports progress.
    pub done: Option<u64>,
    pub total: Option<u64>,
}

impl SelftestTest {
    /// Decode one `test` nest: id and name are mandatory.
    pub fn from_attrs(attrs: &[SelftestTestAttr]) -> Result<Self, DecodeError> {
        let (mut id, mut name) = (None, None);
        let mut t = SelftestTest::default();
        for a in attrs {
            match a {
                SelftestTestAttr::Id(v) => id = Some(*v),
                SelftestTestAttr::Name(s) => name = Some(s.clone()),
                SelftestTestAttr::Result(v) => t.result = Some(SelftestResult::from_u32(*v)),
                SelftestTestAttr::ResultMsg(s) => t.result_msg = Some(s.clone()),
                SelftestTestAttr::Done(v) => t.done = Some(*v),
                SelftestTestAttr::Total(v) => t.total = Some(*v),
                SelftestTestAttr::Unknown(_) => {}
            }
        }
        t.id = id.ok_or("selftest test nest lacks the id attribute")?;
        t.name = name.ok_or_else(|| format!("selftest test {} lacks the name attribute", t.id))?;
        Ok(t)
    }

    /// Encode as a `test` nest.
    pub fn to_attrs(&self) -> Vec<SelftestTestAttr> {
        let mut v = vec![
            SelftestTestAttr::Id(self.id),
            SelftestTestAttr::Name(self.name.clone()),
        ];
        v.extend(self.result.map(|r| SelftestTestAttr::Result(r.to_u32())));
        v.extend(self.result_msg.clone().map(SelftestTestAttr::ResultMsg));
        v.extend(self.done.map(SelftestTestAttr::Done));
        v.extend(self.total.map(SelftestTestAttr::Total));
        v
    }
}

/// A device and some of its self-tests: all it offers (selftests-get),
/// those a run ran with their results in run order (selftests-run), or
/// the one a status notification is about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selftests {
    pub dev: DevIdent,
    pub tests: Vec<SelftestTest>,
}

impl Selftests {
    /// Decode a selftest message: the handle is mandatory, tests keep
    /// the kernel's order.
    pub fn from_attrs(attrs: &[SelftestAttr]) -> Result<Self, DecodeError> {
        let mut handle = None;
        let mut tests = Vec::new();
        for a in attrs {
            match a {
                SelftestAttr::Handle(h) => handle = Some(h.as_slice()),
                SelftestAttr::Test(t) => tests.push(SelftestTest::from_attrs(t)?),
                _ => {}
            }
        }
        Ok(Selftests {
            dev: DevIdent::from_handle(handle, None, "selftest")?,
            tests,
        })
    }

    /// Encode as the attributes of a kernel reply or notification.
    pub fn to_attrs(&self) -> Vec<SelftestAttr> {
        let mut v = vec![SelftestAttr::Handle(self.dev.to_handle())];
        v.extend(self.tests.iter().map(|t| SelftestAttr::Test(t.to_attrs())));
        v
    }
}

impl TryFrom<&AccelMessage> for Selftests {
    type Error = DecodeError;
    fn try_from(msg: &AccelMessage) -> Result<Self, DecodeError> {
        match &msg.attrs {
            Attrs::Selftest(a) => Selftests::from_attrs(a),
            _ => Err(msg.wrong_set("selftest")),
        }
    }
}

/// selftests-get *do*: the tests of one device.
pub fn selftests_get_do(family_id: u16, seq: u32, dev: &DevHandle) -> Msg {
    let handle = Some(dev.to_handle());
    request(family_id, seq, SelftestsGetDo { handle })
}

/// selftests-get *dump*: the tests of every device, or of `filter`.
pub fn selftests_get_dump(family_id: u16, seq: u32, filter: Option<&DevHandle>) -> Msg {
    let handle = filter.map(DevHandle::to_handle);
    request(family_id, seq, SelftestsGetDump { handle })
}

/// The selftests-run request: the tests `ids`, or all if empty.
pub fn selftests_run_request(dev: &DevHandle, ids: &[u32]) -> SelftestsRunDo {
    SelftestsRunDo {
        handle: Some(dev.to_handle()),
        id: ids.to_vec(),
    }
}

/// selftests-run (do; the reply carries a result per test run).
pub fn selftests_run(family_id: u16, seq: u32, dev: &DevHandle, ids: &[u32]) -> Msg {
    request(family_id, seq, selftests_run_request(dev, ids))
}
