//! Who may do what: every authorization decision in chiso is taken here, from the actor's
//! roles, unit and field scope, and the target of the action. Handlers ask; they never decide.

use crate::ids::{AccountId, UnitId};
use crate::roles::Role;
use std::collections::BTreeSet;

/// The account acting, as far as authorization needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account: AccountId,
    pub unit: UnitId,
    pub roles: BTreeSet<Role>,
    pub fields: FieldScope,
}

/// Which framework fields an account works on ("accounts per field").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FieldScope {
    /// Every field of the framework.
    #[default]
    All,
    /// Only these field codes (e.g. `"2"` for institutional reform).
    Only(BTreeSet<String>),
}

impl FieldScope {
    /// Builds a scope from stored field codes; no codes means every field.
    pub fn from_codes<I: IntoIterator<Item = String>>(codes: I) -> FieldScope {
        let set: BTreeSet<String> = codes.into_iter().collect();
        if set.is_empty() {
            FieldScope::All
        } else {
            FieldScope::Only(set)
        }
    }

    /// Whether the scope includes a field.
    pub fn covers(&self, field_code: &str) -> bool {
        match self {
            FieldScope::All => true,
            FieldScope::Only(codes) => codes.contains(field_code),
        }
    }
}

/// Something an account may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Open the dashboard.
    ViewDashboard,
    /// Read a unit's page and data.
    ViewUnit,
    /// Create, edit and import administrative units.
    ManageUnits,
    /// Create accounts, give roles, reset passwords.
    ManageAccounts,
    /// Read the audit log.
    ViewAuditLog,
    /// Import and edit criteria frameworks.
    ManageFrameworks,
    /// Open, extend and close assessment rounds.
    ManageRounds,
    /// Enter declared figures, self-scores, evidence and explanations.
    EnterSelfAssessment,
    /// Approve and submit (or withdraw) a unit's self-assessment.
    ApproveSelfAssessment,
    /// Keep or change a unit's scores as an appraiser.
    Appraise,
    /// Conclude an appraisal round for the council.
    ConcludeAppraisal,
    /// Read computed results and rankings before publication.
    ViewResults,
    /// Read one's own unit's published results: where it lost points, what-if.
    ViewOwnResults,
    /// Configure surveys and campaigns.
    ManageSurveys,
    /// Enter paper survey forms.
    EnterSurveyResponses,
    /// Draft, edit and issue improvement plans.
    ManagePlans,
    /// Report progress on a plan task led by (or shared with) the unit.
    ReportTaskProgress,
}

impl Action {
    /// Every action, for exhaustive permission tests.
    pub const ALL: [Action; 17] = [
        Action::ViewDashboard,
        Action::ViewUnit,
        Action::ManageUnits,
        Action::ManageAccounts,
        Action::ViewAuditLog,
        Action::ManageFrameworks,
        Action::ManageRounds,
        Action::EnterSelfAssessment,
        Action::ApproveSelfAssessment,
        Action::Appraise,
        Action::ConcludeAppraisal,
        Action::ViewResults,
        Action::ViewOwnResults,
        Action::ManageSurveys,
        Action::EnterSurveyResponses,
        Action::ManagePlans,
        Action::ReportTaskProgress,
    ];
}

/// What the action is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The whole province (settings, lists, dashboards).
    Province,
    /// One unit.
    Unit(UnitId),
    /// One field of one unit's assessment.
    UnitField(UnitId, &'a str),
    /// One field of one unit's assessment in a round, with whom the round names for it
    /// (`crate::round::assignment`).
    RoundField(UnitId, &'a str, RoundScope),
    /// One unit in a round; `true` when the round lets the actor enter one of its fields.
    RoundUnit(UnitId, bool),
}

/// Whether a round names the accounts that do something on a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// The round names nobody: the account's own unit and field scope decide.
    Default,
    /// The actor is named (explicitly, or as a focal point of the field's lead department).
    Actor,
    /// The round names other accounts, not the actor.
    Others,
}

/// Whom a round names for one field of one unit: who enters it and who appraises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundScope {
    pub enter: Named,
    pub appraise: Named,
}

impl Target<'_> {
    fn unit(&self) -> Option<UnitId> {
        match self {
            Target::Province => None,
            Target::Unit(u)
            | Target::UnitField(u, _)
            | Target::RoundField(u, _, _)
            | Target::RoundUnit(u, _) => Some(*u),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Target::UnitField(_, f) | Target::RoundField(_, f, _) => Some(f),
            _ => None,
        }
    }
}

/// Why an action was refused, for the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// No role of the account grants this action.
    NoRole,
    /// The role grants it for the account's own unit only.
    OtherUnit,
    /// An account never appraises its own unit.
    OwnUnit,
    /// The account works on other fields.
    OtherField,
    /// The round assigns this field to other accounts.
    NotAssigned,
    /// An account never appraises what it entered itself.
    OwnEntry,
}

/// Decides whether `actor` may perform `action` on `target`.
pub fn decide(actor: &Actor, action: Action, target: Target<'_>) -> Result<(), Denial> {
    let own = target.unit().is_some_and(|u| u == actor.unit);
    // Conflict of interest comes first, whatever other roles the account holds.
    if matches!(action, Action::Appraise | Action::ConcludeAppraisal) && own {
        return Err(Denial::OwnUnit);
    }
    let has = |r: Role| actor.roles.contains(&r);
    match (action, target) {
        (Action::EnterSelfAssessment, Target::RoundField(unit, field, scope)) => {
            return match scope.enter {
                Named::Default => decide(actor, action, Target::UnitField(unit, field)),
                Named::Actor if has(Role::FocalPoint) => Ok(()),
                Named::Actor => Err(Denial::NoRole),
                Named::Others => Err(Denial::NotAssigned),
            };
        }
        (Action::Appraise, Target::RoundField(unit, field, scope)) => {
            if scope.enter == Named::Actor && has(Role::FocalPoint) {
                return Err(Denial::OwnEntry);
            }
            return match scope.appraise {
                Named::Default => decide(actor, action, Target::UnitField(unit, field)),
                Named::Actor if has(Role::Appraiser) || has(Role::CouncilChair) => Ok(()),
                // The chair appraises every field whoever else is named.
                Named::Others if has(Role::CouncilChair) => Ok(()),
                Named::Others if has(Role::Appraiser) => Err(Denial::NotAssigned),
                Named::Actor | Named::Others => Err(Denial::NoRole),
            };
        }
        (_, Target::RoundField(unit, field, _)) => {
            return decide(actor, action, Target::UnitField(unit, field));
        }
        (Action::ViewUnit, Target::RoundUnit(_, true)) if has(Role::FocalPoint) => return Ok(()),
        (_, Target::RoundUnit(unit, _)) => return decide(actor, action, Target::Unit(unit)),
        _ => {}
    }
    let mut best = Err(Denial::NoRole);
    for &role in &actor.roles {
        match grant(role, action) {
            Grant::No => {}
            Grant::Anywhere => return check_field(actor, role, action, target),
            Grant::OwnUnitOnly => {
                // Own-unit grants never extend to province-wide targets.
                if own {
                    return check_field(actor, role, action, target);
                }
                best = Err(Denial::OtherUnit);
            }
        }
    }
    best
}

/// Shorthand for `decide(..).is_ok()`.
pub fn allows(actor: &Actor, action: Action, target: Target<'_>) -> bool {
    decide(actor, action, target).is_ok()
}

enum Grant {
    No,
    Anywhere,
    OwnUnitOnly,
}

fn grant(role: Role, action: Action) -> Grant {
    use Action::*;
    use Grant::*;
    match (role, action) {
        (_, ViewDashboard) => Anywhere,
        (
            Role::Admin,
            ViewUnit | ManageUnits | ManageAccounts | ViewAuditLog | ManageFrameworks
            | ManageRounds | ViewResults | ManageSurveys | EnterSurveyResponses | ManagePlans
            | ReportTaskProgress,
        ) => Anywhere,
        (Role::Viewer | Role::Appraiser | Role::CouncilChair, ViewUnit | ViewResults) => Anywhere,
        (Role::Appraiser | Role::CouncilChair, Appraise) => Anywhere,
        (Role::CouncilChair, ConcludeAppraisal) => Anywhere,
        (
            Role::FocalPoint,
            ViewUnit | EnterSelfAssessment | ReportTaskProgress | ViewOwnResults,
        ) => OwnUnitOnly,
        (
            Role::UnitLeader,
            ViewUnit | ApproveSelfAssessment | ReportTaskProgress | ViewOwnResults,
        ) => OwnUnitOnly,
        (Role::SurveyStaff, EnterSurveyResponses) => Anywhere,
        (Role::SurveyStaff, ViewUnit) => Anywhere,
        _ => No,
    }
}

fn check_field(
    actor: &Actor,
    role: Role,
    action: Action,
    target: Target<'_>,
) -> Result<(), Denial> {
    let scoped = matches!(
        (role, action),
        (Role::FocalPoint, Action::EnterSelfAssessment) | (Role::Appraiser, Action::Appraise)
    );
    match target.field() {
        Some(field) if scoped && !actor.fields.covers(field) => Err(Denial::OtherField),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: UnitId = UnitId(10);
    const OTHER: UnitId = UnitId(20);

    fn actor(role: Role) -> Actor {
        Actor {
            account: AccountId(1),
            unit: OWN,
            roles: [role].into_iter().collect(),
            fields: FieldScope::All,
        }
    }

    /// The permission table: role × action × own/other unit. `Y` allowed, `-` denied.
    /// Columns: own unit, other unit. Every role and action must appear exactly once.
    const TABLE: &str = "
        # action                 admin  focal  leader apprs  chair  viewer survey
        ViewDashboard            YY     YY     YY     YY     YY     YY     YY
        ViewUnit                 YY     Y-     Y-     YY     YY     YY     YY
        ManageUnits              YY     --     --     --     --     --     --
        ManageAccounts           YY     --     --     --     --     --     --
        ViewAuditLog             YY     --     --     --     --     --     --
        ManageFrameworks         YY     --     --     --     --     --     --
        ManageRounds             YY     --     --     --     --     --     --
        EnterSelfAssessment      --     Y-     --     --     --     --     --
        ApproveSelfAssessment    --     --     Y-     --     --     --     --
        Appraise                 --     --     --     -Y     -Y     --     --
        ConcludeAppraisal        --     --     --     --     -Y     --     --
        ViewResults              YY     --     --     YY     YY     YY     --
        ViewOwnResults           --     Y-     Y-     --     --     --     --
        ManageSurveys            YY     --     --     --     --     --     --
        EnterSurveyResponses     YY     --     --     --     --     --     YY
        ManagePlans              YY     --     --     --     --     --     --
        ReportTaskProgress       YY     Y-     Y-     --     --     --     --
    ";

    const COLUMNS: [Role; 7] = [
        Role::Admin,
        Role::FocalPoint,
        Role::UnitLeader,
        Role::Appraiser,
        Role::CouncilChair,
        Role::Viewer,
        Role::SurveyStaff,
    ];

    fn action_named(name: &str) -> Action {
        *Action::ALL
            .iter()
            .find(|a| format!("{a:?}") == name)
            .unwrap_or_else(|| panic!("unknown action {name} in the permission table"))
    }

    #[test]
    fn permission_table_holds_for_every_role_action_and_unit() {
        let mut seen = Vec::new();
        for line in TABLE
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cells.len(), 1 + COLUMNS.len(), "malformed row: {line}");
            let action = action_named(cells[0]);
            seen.push(action);
            for (role, cell) in COLUMNS.iter().zip(&cells[1..]) {
                let expect: Vec<bool> = cell.chars().map(|c| c == 'Y').collect();
                let a = actor(*role);
                let got = [
                    allows(&a, action, Target::Unit(OWN)),
                    allows(&a, action, Target::Unit(OTHER)),
                ];
                assert_eq!(
                    got.to_vec(),
                    expect,
                    "{role:?} × {action:?}: expected own/other {cell}"
                );
            }
        }
        for action in Action::ALL {
            assert_eq!(
                seen.iter().filter(|a| **a == action).count(),
                1,
                "{action:?} must appear exactly once in the permission table"
            );
        }
        assert_eq!(COLUMNS.len(), Role::ALL.len(), "every role needs a column");
    }

    #[test]
    fn own_unit_is_never_appraised_even_with_other_roles() {
        let mut a = actor(Role::CouncilChair);
        a.roles.insert(Role::Admin);
        a.roles.insert(Role::Appraiser);
        assert_eq!(
            decide(&a, Action::Appraise, Target::Unit(OWN)),
            Err(Denial::OwnUnit)
        );
        assert_eq!(
            decide(&a, Action::Appraise, Target::UnitField(OWN, "1")),
            Err(Denial::OwnUnit)
        );
    }

    #[test]
    fn field_scope_limits_focal_points_and_appraisers() {
        let mut focal = actor(Role::FocalPoint);
        focal.fields = FieldScope::from_codes(["2".to_string()]);
        assert!(allows(
            &focal,
            Action::EnterSelfAssessment,
            Target::UnitField(OWN, "2")
        ));
        assert_eq!(
            decide(
                &focal,
                Action::EnterSelfAssessment,
                Target::UnitField(OWN, "3")
            ),
            Err(Denial::OtherField)
        );
        assert_eq!(
            decide(
                &focal,
                Action::EnterSelfAssessment,
                Target::UnitField(OTHER, "2")
            ),
            Err(Denial::OtherUnit)
        );

        let mut appraiser = actor(Role::Appraiser);
        appraiser.fields = FieldScope::from_codes(["1".to_string(), "5".to_string()]);
        assert!(allows(
            &appraiser,
            Action::Appraise,
            Target::UnitField(OTHER, "5")
        ));
        assert_eq!(
            decide(&appraiser, Action::Appraise, Target::UnitField(OTHER, "2")),
            Err(Denial::OtherField)
        );
    }

    #[test]
    fn own_unit_grants_do_not_reach_province_wide_targets() {
        let focal = actor(Role::FocalPoint);
        assert_eq!(
            decide(&focal, Action::EnterSelfAssessment, Target::Province),
            Err(Denial::OtherUnit)
        );
        let admin = actor(Role::Admin);
        assert!(allows(&admin, Action::ManageAccounts, Target::Province));
    }

    #[test]
    fn an_account_without_roles_may_do_nothing() {
        let mut nobody = actor(Role::Viewer);
        nobody.roles.clear();
        for action in Action::ALL {
            assert_eq!(
                decide(&nobody, action, Target::Unit(OTHER)),
                Err(Denial::NoRole),
                "{action:?}"
            );
        }
    }
}
