package org.communitypulse.ingest.generator;

/**
 * The organisation behind simulated communities ({@link SimulatedActivity#SimulatedActivity(SimulationPlan,
 * OrganisationPlan)}): a role register, access levels, official accounts, training and policy acknowledgements,
 * with the ids of the shipped {@code roles.yaml} (see {@code docs/roles.md}), so the roles family has a realistic
 * history to compute: required roles held by staff, other roles now and then, Corporate Users, Account Managers
 * of official accounts, people leaving roles and others taking them over, trainings completed or not.
 *
 * @param corporateUserShare share of members granted the Corporate User level on the first day
 * @param accounts           official accounts per community, each with an Account Manager from the first day
 * @param trainedShare       share of Corporate Users who complete the required course during the window, and chance
 *                           that a new community manager completes theirs within hours of the grant
 * @param dailyTurnover      chance per day that a role holder (team or key role) leaves the role; the role is
 *                           taken over by another member after 1 to 20 days with probability 0.7
 * @param acknowledgedShare  share of members who acknowledge the code of conduct during the window
 */
public record OrganisationPlan(double corporateUserShare, int accounts, double trainedShare, double dailyTurnover,
                               double acknowledgedShare) {

    /**
     * The team roles of the shipped roles.yaml, all required: held from the first day, the first three by the three
     * staff members, the others by core members.
     */
    static final String[] REQUIRED_ROLES = {"sponsor", "community-manager", "technical-developer-designer",
        "social-media-coordinator", "strategist-advocate", "product-manager", "project-manager"};
    /** The key roles of the shipped roles.yaml, held now and then. */
    static final String[] OTHER_ROLES = {"customer-service-champion", "account-coordinator",
        "technical-support-specialist"};
    /** The role whose holders need their own course (roles.yaml training), and that course. */
    static final String COMMUNITY_MANAGER = "community-manager";
    static final String COMMUNITY_MANAGER_COURSE = "community-management";
    static final String CORPORATE_USER = "corporate-user";
    static final String ACCOUNT_MANAGER = "account-manager";
    static final String REQUIRED_COURSE = "social-media-guidelines";
    static final String POLICY = "code-of-conduct";

    public OrganisationPlan {
        if (corporateUserShare < 0 || corporateUserShare > 1 || trainedShare < 0 || trainedShare > 1
                || dailyTurnover < 0 || dailyTurnover > 1 || acknowledgedShare < 0 || acknowledgedShare > 1
                || accounts < 0) {
            throw new IllegalArgumentException("shares and turnover must be in [0, 1], accounts >= 0");
        }
    }

    /** 5% Corporate Users, 3 accounts, 80% of them trained, 1% turnover a day, 30% acknowledge the policy. */
    public static OrganisationPlan defaults() {
        return new OrganisationPlan(0.05, 3, 0.8, 0.01, 0.3);
    }
}
