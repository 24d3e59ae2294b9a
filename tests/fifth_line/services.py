from branches.services import check_not_future, record_save


def returnee_save(*, user, instance):
    check_not_future(instance, "returned_on")
    return record_save(user=user, instance=instance)
