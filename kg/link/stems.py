"""placeholder"""
def stem_key(nf):
    return None
