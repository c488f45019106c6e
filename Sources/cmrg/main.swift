import LuaHost
print("cmrg")
