package org.communitypulse.streams;

import java.util.List;
import org.communitypulse.streams.roles.RolesModel;

/**
 * The shipped catalogue narrowed to what the older scripted role histories hold: only sponsor, community manager and
 * developer required, and only the Corporate User's licence training. Those tests are about alert and violation
 * mechanics; {@code RolesCatalogueTest} checks the shipped catalogue itself.
 */
public final class TestRoles {

    public static final List<String> THREE_REQUIRED = List.of("sponsor", "community-manager", "technical-developer-designer");

    private TestRoles() {
    }

    public static RolesModel threeRequired() {
        RolesModel shipped = RolesModel.defaults();
        return shipped.withRequiredRoles(THREE_REQUIRED).withTraining(shipped.training().stream()
                .filter(t -> t.requiredFor().contains(RolesModel.CORPORATE_USER)).toList());
    }
}
