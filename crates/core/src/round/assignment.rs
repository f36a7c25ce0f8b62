//! Who enters and who appraises each field in one round (phân công).
//!
//! A round may name accounts for a field. Where it names nobody, the default holds: a unit's
//! own focal points enter the fields their account covers; in a province-level assessment
//! (seed 001: "lead departments self-score their fields, accounts per field") the focal points
//! of each field's lead department enter that field too; appraisers work on the fields their
//! account covers. Names given for a field replace the default for that field only.

use crate::ids::{AccountId, UnitId};
use crate::policy::{Actor, Named, RoundScope};
use crate::roles::Role;
use crate::units::UnitType;
use std::collections::{BTreeMap, BTreeSet};

/// A round's assignments, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assignments {
    /// (unit, field code) → the accounts that enter it.
    pub entry: BTreeMap<(UnitId, String), BTreeSet<AccountId>>,
    /// Field code → the appraisers of that field for every unit of the round.
    pub appraisal: BTreeMap<String, BTreeSet<AccountId>>,
}

/// What the assignments need to know of the round's framework: its unit type and the lead
/// department of each field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldLeads {
    /// Whether the framework assesses the province itself, whose fields the lead departments
    /// enter.
    pub by_lead_departments: bool,
    pub leads: BTreeMap<String, UnitId>,
}

impl FieldLeads {
    /// The leads of a framework for `unit_type`; only a province framework hands its fields to
    /// lead departments.
    pub fn new(unit_type: UnitType, leads: BTreeMap<String, UnitId>) -> FieldLeads {
        FieldLeads {
            by_lead_departments: unit_type == UnitType::Province,
            leads,
        }
    }

    fn lead_of(&self, field: &str) -> Option<UnitId> {
        self.by_lead_departments
            .then(|| self.leads.get(field).copied())
            .flatten()
    }
}

impl Assignments {
    /// Whom the round names to enter `field` of `unit`, as seen by `actor`.
    pub fn enter(&self, actor: &Actor, unit: UnitId, field: &str, leads: &FieldLeads) -> Named {
        match self.entry.get(&(unit, field.to_string())) {
            Some(named) if !named.is_empty() => named_or_others(named, actor.account),
            _ => {
                let lead_focal = leads.lead_of(field) == Some(actor.unit)
                    && actor.unit != unit
                    && actor.roles.contains(&Role::FocalPoint)
                    && actor.fields.covers(field);
                if lead_focal {
                    Named::Actor
                } else {
                    Named::Default
                }
            }
        }
    }

    /// Whom the round names to appraise `field`, as seen by `actor`.
    pub fn appraise(&self, actor: AccountId, field: &str) -> Named {
        match self.appraisal.get(field) {
            Some(named) if !named.is_empty() => named_or_others(named, actor),
            _ => Named::Default,
        }
    }

    /// The policy target of one field of one unit in this round.
    pub fn scope(
        &self,
        actor: &Actor,
        unit: UnitId,
        field: &str,
        leads: &FieldLeads,
    ) -> RoundScope {
        RoundScope {
            enter: self.enter(actor, unit, field, leads),
            appraise: self.appraise(actor.account, field),
        }
    }

    /// Whether the round lets `actor` enter any of `fields` of `unit` from outside the unit
    /// (so the actor may open the unit's grid in this round).
    pub fn enters_any<'a>(
        &self,
        actor: &Actor,
        unit: UnitId,
        fields: impl IntoIterator<Item = &'a str>,
        leads: &FieldLeads,
    ) -> bool {
        fields
            .into_iter()
            .any(|f| self.enter(actor, unit, f, leads) == Named::Actor)
    }

    /// The units of the round where `actor` is named to enter some field (explicitly or as a
    /// focal point of a lead department), other than the actor's own unit.
    pub fn units_entered_by(
        &self,
        actor: &Actor,
        units: impl IntoIterator<Item = UnitId>,
        fields: &[&str],
        leads: &FieldLeads,
    ) -> Vec<UnitId> {
        units
            .into_iter()
            .filter(|&u| {
                u != actor.unit && self.enters_any(actor, u, fields.iter().copied(), leads)
            })
            .collect()
    }
}

fn named_or_others(named: &BTreeSet<AccountId>, actor: AccountId) -> Named {
    if named.contains(&actor) {
        Named::Actor
    } else {
        Named::Others
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Action, Denial, FieldScope, Target, decide};
    use proptest::prelude::*;

    const PROVINCE: UnitId = UnitId(1);
    const JUSTICE: UnitId = UnitId(2);
    const HOME: UnitId = UnitId(3);

    fn actor(id: i64, unit: UnitId, role: Role, fields: &[&str]) -> Actor {
        Actor {
            account: AccountId(id),
            unit,
            roles: [role].into_iter().collect(),
            fields: FieldScope::from_codes(fields.iter().map(|s| s.to_string())),
        }
    }

    fn province_leads() -> FieldLeads {
        FieldLeads::new(
            UnitType::Province,
            [("1".to_string(), HOME), ("2".to_string(), JUSTICE)].into(),
        )
    }

    fn may(
        a: &Actor,
        action: Action,
        asg: &Assignments,
        unit: UnitId,
        field: &str,
    ) -> Result<(), Denial> {
        let scope = asg.scope(a, unit, field, &province_leads());
        decide(a, action, Target::RoundField(unit, field, scope))
    }

    #[test]
    fn lead_department_focal_points_enter_their_field_of_the_province() {
        let minh = actor(10, JUSTICE, Role::FocalPoint, &["2"]);
        let none = Assignments::default();
        assert_eq!(
            may(&minh, Action::EnterSelfAssessment, &none, PROVINCE, "2"),
            Ok(())
        );
        // Field 1 is led by another department.
        assert_eq!(
            may(&minh, Action::EnterSelfAssessment, &none, PROVINCE, "1"),
            Err(Denial::OtherUnit)
        );
        // A department framework does not hand fields to lead departments.
        let dept = FieldLeads::new(UnitType::Department, province_leads().leads);
        assert_eq!(none.enter(&minh, HOME, "2", &dept), Named::Default);
        assert!(none.enters_any(&minh, PROVINCE, ["1", "2"], &province_leads()));
        assert!(!none.enters_any(&minh, PROVINCE, ["1"], &province_leads()));
    }

    #[test]
    fn names_replace_the_default_for_their_field_only() {
        let minh = actor(10, JUSTICE, Role::FocalPoint, &["2"]);
        let other = actor(11, JUSTICE, Role::FocalPoint, &[]);
        let mut asg = Assignments::default();
        asg.entry
            .insert((PROVINCE, "2".into()), [AccountId(11)].into());
        assert_eq!(
            may(&minh, Action::EnterSelfAssessment, &asg, PROVINCE, "2"),
            Err(Denial::NotAssigned)
        );
        assert_eq!(
            may(&other, Action::EnterSelfAssessment, &asg, PROVINCE, "2"),
            Ok(())
        );
        // A name overrides the account's own field scope within its own unit too.
        let mut own = Assignments::default();
        own.entry
            .insert((JUSTICE, "3".into()), [AccountId(10)].into());
        assert_eq!(
            may(&minh, Action::EnterSelfAssessment, &own, JUSTICE, "3"),
            Ok(())
        );
        assert_eq!(
            may(&minh, Action::EnterSelfAssessment, &own, JUSTICE, "4"),
            Err(Denial::OtherField)
        );
    }

    #[test]
    fn appraisers_named_for_a_field_replace_account_scopes_but_not_the_chair() {
        let tuan = actor(20, HOME, Role::Appraiser, &["1", "5"]);
        let hung = actor(21, HOME, Role::CouncilChair, &[]);
        let mut asg = Assignments::default();
        asg.appraisal.insert("2".into(), [AccountId(20)].into());
        asg.appraisal.insert("1".into(), [AccountId(22)].into());
        assert_eq!(may(&tuan, Action::Appraise, &asg, JUSTICE, "2"), Ok(()));
        assert_eq!(
            may(&tuan, Action::Appraise, &asg, JUSTICE, "1"),
            Err(Denial::NotAssigned)
        );
        assert_eq!(may(&tuan, Action::Appraise, &asg, JUSTICE, "5"), Ok(()));
        assert_eq!(may(&hung, Action::Appraise, &asg, JUSTICE, "1"), Ok(()));
        // Own unit first, whatever the names.
        assert_eq!(
            may(&tuan, Action::Appraise, &asg, HOME, "2"),
            Err(Denial::OwnUnit)
        );
    }

    #[test]
    fn a_focal_point_never_appraises_what_it_enters() {
        let mut both = actor(10, JUSTICE, Role::FocalPoint, &["2"]);
        both.roles.insert(Role::Appraiser);
        assert_eq!(
            may(
                &both,
                Action::Appraise,
                &Assignments::default(),
                PROVINCE,
                "2"
            ),
            Err(Denial::OwnEntry)
        );
    }

    #[test]
    fn entering_another_units_field_opens_its_grid_but_not_its_approval() {
        let minh = actor(10, JUSTICE, Role::FocalPoint, &["2"]);
        assert!(decide(&minh, Action::ViewUnit, Target::RoundUnit(PROVINCE, true)).is_ok());
        assert_eq!(
            decide(&minh, Action::ViewUnit, Target::RoundUnit(PROVINCE, false)),
            Err(Denial::OtherUnit)
        );
        assert_eq!(
            decide(
                &minh,
                Action::ApproveSelfAssessment,
                Target::RoundUnit(PROVINCE, true)
            ),
            Err(Denial::NoRole)
        );
    }

    fn any_role() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// Whatever a round names, an account never appraises its own unit, and an account
        /// named for another field is never let in by a name.
        #[test]
        fn own_unit_is_never_appraised_whatever_the_names(
            roles in prop::collection::btree_set(any_role(), 1..4),
            named_enter in prop::collection::btree_set(0i64..4, 0..3),
            named_appraise in prop::collection::btree_set(0i64..4, 0..3),
            unit in 1i64..4,
            field in prop::sample::select(vec!["1", "2", "3"]),
        ) {
            let a = Actor { account: AccountId(1), unit: UnitId(unit), roles, fields: FieldScope::All };
            let mut asg = Assignments::default();
            asg.entry.insert((UnitId(unit), field.to_string()), named_enter.iter().map(|&i| AccountId(i)).collect());
            asg.appraisal.insert(field.to_string(), named_appraise.iter().map(|&i| AccountId(i)).collect());
            let scope = asg.scope(&a, UnitId(unit), field, &province_leads());
            prop_assert_eq!(
                decide(&a, Action::Appraise, Target::RoundField(UnitId(unit), field, scope)),
                Err(Denial::OwnUnit)
            );
            if !named_enter.is_empty() && !named_enter.contains(&1) {
                prop_assert!(decide(&a, Action::EnterSelfAssessment, Target::RoundField(UnitId(unit), field, scope)).is_err());
            }
        }
    }
}
