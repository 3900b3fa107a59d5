package graph

import (
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/graph/model"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/groups"
	"github.com/steward-dev/steward/internal/users"
)

func roleString(r *user.Role) *string {
	if r == nil {
		return nil
	}
	s := string(*r)
	return &s
}

func deleteResults(res []users.BulkResult) []*model.DeleteUserResult {
	out := make([]*model.DeleteUserResult, len(res))
	for i, r := range res {
		out[i] = &model.DeleteUserResult{ID: r.ID, Deleted: r.Done}
		if r.Err != nil {
			code, msg := string(r.Err.Code), r.Err.Error()
			out[i].Code, out[i].Message = &code, &msg
		}
	}
	return out
}

func roleResults(res []users.BulkResult) []*model.SetUserRoleResult {
	out := make([]*model.SetUserRoleResult, len(res))
	for i, r := range res {
		out[i] = &model.SetUserRoleResult{ID: r.ID, Changed: r.Done}
		if r.Err != nil {
			code, msg := string(r.Err.Code), r.Err.Error()
			out[i].Code, out[i].Message = &code, &msg
		}
	}
	return out
}

func membersPayload(res groups.MembersResult) *model.GroupMembersPayload {
	if res.Group == nil {
		return nil
	}
	return &model.GroupMembersPayload{Group: res.Group, UnknownUserIds: res.UnknownUserIDs, Changed: res.Changed}
}

func resourcePermission(a model.ResourceAccess) access.Permission {
	if a == model.ResourceAccessWrite {
		return access.PermissionWrite
	}
	return access.PermissionRead
}
